import { GraphQLDateTimeISO, GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../core/graphql/index.ts';

@InputType({ description: 'Announces an upload: the file name becomes the avatar name, byteSize bounds the PUT.' })
export class CreateAvatarUploadInput {
  @Field(() => String, { description: 'e.g. "Robot.glb"; the avatar is named after it without the extension.' })
  fileName!: string;
  @Field(() => Int, { description: 'Exact or maximum size of the GLB in bytes (at most 15 MB).' }) byteSize!: number;
}

@ObjectType('AvatarUpload', {
  description:
    'A signed, single-use URL valid for 5 minutes. PUT the raw GLB bytes to uploadUrl with Content-Type ' +
    'model/gltf-binary (no Authorization header: the URL is the credential). The response is JSON ' +
    '{ avatar: { id, contentHash, url, … } } or { error: { code, message, details: { reason } } }.',
})
export class AvatarUploadType {
  @Field(() => ID) id!: string;
  @Field(() => String) uploadUrl!: string;
  @Field(() => GraphQLDateTimeISO) expiresAt!: Date;
  @Field(() => Int, { description: 'The PUT is refused with 413 beyond this many bytes.' }) maxBytes!: number;
}

@ObjectType('Avatar', { description: "A 3D model the tenant uploaded, validated and optimised (glTF binary with meshopt compression)." })
export class AvatarType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'SHA-256 of the served GLB; bot bundles pin it as avatar.assetHash.' }) contentHash!: string;
  @Field(() => String, { description: 'Public, immutable URL of the GLB (content-addressed: anyone with the URL can load it).' })
  url!: string;
  @Field(() => Int, { description: 'Size of the uploaded file.' }) originalBytes!: number;
  @Field(() => Int, { description: 'Size of the served, optimised file.' }) optimizedBytes!: number;
  @Field(() => Int) triangleCount!: number;
  @Field(() => [String], { description: 'Animation clip names, in file order.' }) clipNames!: string[];
  @Field(() => [String], { description: 'Morph target names across the meshes.' }) morphTargets!: string[];
  @Field(() => [String], { description: 'Morph targets that look like mouth shapes (lip sync); may be empty.' })
  mouthMorphTargets!: string[];
  @Field(() => [String], { description: 'Morph targets that look like blinks; may be empty.' }) blinkMorphTargets!: string[];
  @Field(() => GraphQLJSONObject, { description: 'Suggested clip for each of the 20 animation slots (null: none), from clip names.' })
  suggestedMapping!: Record<string, string | null>;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
}
export const AvatarConnection = ConnectionType('Avatar', AvatarType, { totalCount: true });

@ObjectType('BuiltinAvatar', { description: "One of Mascot's own characters; public, available to every tenant." })
export class BuiltinAvatarType {
  @Field(() => ID, { description: 'Stable id bot bundles use: { kind: "builtin", id }.' }) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => String) contentHash!: string;
  @Field(() => String) url!: string;
  @Field(() => Int) triangleCount!: number;
  @Field(() => [String]) clipNames!: string[];
  @Field(() => [String]) morphTargets!: string[];
  @Field(() => [String]) mouthMorphTargets!: string[];
  @Field(() => [String]) blinkMorphTargets!: string[];
  @Field(() => GraphQLJSONObject) suggestedMapping!: Record<string, string | null>;
}

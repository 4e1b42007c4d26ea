import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { keysetRequest } from '../../core/db/index.ts';
import { PageArgs, requirePermission, type Connection, type GraphQLContext } from '../../core/graphql/index.ts';
import type { AvatarsService } from './avatars.service.ts';
import { AvatarConnection, AvatarType, AvatarUploadType, BuiltinAvatarType, CreateAvatarUploadInput } from './avatars.types.ts';

@Resolver()
export class AvatarsResolver {
  constructor(private readonly service: AvatarsService) {}

  @Mutation(() => AvatarUploadType, { description: 'Step one of an avatar upload: a signed URL to PUT the GLB to (see AvatarUpload).' })
  async createAvatarUpload(@Arg('input', () => CreateAvatarUploadInput) input: CreateAvatarUploadInput, @Ctx() ctx: GraphQLContext): Promise<AvatarUploadType> {
    const upload = await this.service.createUpload(ctx.em, requirePermission(ctx, 'bots:write'), input);
    return { id: upload.uploadId, uploadUrl: upload.uploadUrl, expiresAt: upload.expiresAt, maxBytes: upload.maxBytes };
  }

  @Query(() => AvatarConnection, { description: "The tenant's uploaded avatars, newest first." })
  avatars(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: GraphQLContext): Promise<Connection<AvatarType>> {
    return this.service.list(ctx.em, requirePermission(ctx, 'bots:read').tenantId, keysetRequest(page));
  }

  @Query(() => AvatarType)
  avatar(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<AvatarType> {
    return this.service.get(ctx.em, requirePermission(ctx, 'bots:read').tenantId, id);
  }

  @Mutation(() => ID, { description: "Removes an avatar from the tenant's list; bots already published with it keep working." })
  deleteAvatar(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<string> {
    return this.service.delete(ctx.em, requirePermission(ctx, 'bots:write'), id);
  }

  @Query(() => [BuiltinAvatarType], { description: "Mascot's own characters (public: no sign-in needed)." })
  builtinAvatars(): BuiltinAvatarType[] {
    return this.service.builtinAvatars();
  }
}

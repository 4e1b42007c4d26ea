import { ImageUtils, type Document, type Node, type Primitive } from '@gltf-transform/core';
import { AvatarRejection, avatarRejected } from './avatars.errors.ts';
import { preflightGlb } from './glb-container.ts';
import { gltfIO } from './gltf-io.ts';

const MB = 1024 * 1024;

/** What an uploaded model may cost. Tests lower them; the server uses the defaults. */
export interface AvatarBudgets {
  /** Size of the uploaded file. */
  maxUploadBytes: number;
  /** What parsing may allocate (buffers, decoded meshopt views, zero-filled accessors). */
  maxDecodedBytes: number;
  /** Triangles drawn, counting a mesh once per node that shows it. */
  maxTriangles: number;
  maxTextures: number;
  /** Largest width or height of a texture as uploaded (textures are resized to 1024 after). */
  maxTextureDimension: number;
}

export const DEFAULT_AVATAR_BUDGETS: AvatarBudgets = {
  maxUploadBytes: 15 * MB,
  maxDecodedBytes: 256 * MB,
  maxTriangles: 100_000,
  maxTextures: 8,
  maxTextureDimension: 4096,
};

/** Bundles and the runtime address clips by name; the bot bundle allows 1 to 100 characters. */
const MAX_CLIP_NAME_LENGTH = 100;
// Control characters cannot be shown, and NUL cannot be stored in PostgreSQL jsonb at all.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** What the validator learnt about an accepted model. */
export interface AvatarInspection {
  document: Document;
  triangleCount: number;
  /** In file order; non-empty, trimmed and unique. */
  clipNames: string[];
  /** Seconds, by clip name (suggestSlotMapping prefers the longest clip for idle). */
  clipDurations: Record<string, number>;
  /** Named morph targets across all meshes, unique, in file order. */
  morphTargets: string[];
  textureCount: number;
}

/** glTF primitive modes (the spec's numbers): points and lines draw no triangles. */
const TRIANGLES = 4;
const TRIANGLE_STRIP = 5;
const TRIANGLE_FAN = 6;

function primitiveTriangles(primitive: Primitive): number {
  const mode: number = primitive.getMode();
  if (mode !== TRIANGLES && mode !== TRIANGLE_STRIP && mode !== TRIANGLE_FAN) return 0;
  const count = primitive.getIndices()?.getCount() ?? primitive.getAttribute('POSITION')?.getCount() ?? 0;
  return mode === TRIANGLES ? Math.floor(count / 3) : Math.max(0, count - 2);
}

/** Triangles drawn: every node showing a mesh draws all of its primitives. */
export function countTriangles(document: Document): number {
  return document
    .getRoot()
    .listNodes()
    .reduce((sum, node) => {
      const mesh = node.getMesh();
      return mesh ? sum + mesh.listPrimitives().reduce((n, primitive) => n + primitiveTriangles(primitive), 0) : sum;
    }, 0);
}

function isSkinnedMeshNode(node: Node): boolean {
  const skin = node.getSkin();
  const mesh = node.getMesh();
  if (!skin || !mesh || skin.listJoints().length === 0) return false;
  return mesh.listPrimitives().some((primitive) => primitive.getAttribute('JOINTS_0') && primitive.getAttribute('WEIGHTS_0'));
}

export function listMorphTargetNames(document: Document): string[] {
  const names = new Set<string>();
  for (const mesh of document.getRoot().listMeshes()) {
    for (const primitive of mesh.listPrimitives()) {
      for (const target of primitive.listTargets()) {
        const name = target.getName();
        if (name && name.length <= MAX_CLIP_NAME_LENGTH && !CONTROL_CHARACTERS.test(name)) names.add(name);
      }
    }
  }
  return [...names];
}

function checkTextures(document: Document, budgets: AvatarBudgets): number {
  const textures = document.getRoot().listTextures();
  if (textures.length > budgets.maxTextures) {
    throw avatarRejected(AvatarRejection.TEXTURE_TOO_LARGE, `The model has ${textures.length} textures; at most ${budgets.maxTextures} are allowed.`, {
      textureCount: textures.length,
      maxTextures: budgets.maxTextures,
    });
  }
  textures.forEach((texture, index) => {
    const image = texture.getImage();
    const size = image ? ImageUtils.getSize(image, texture.getMimeType()) : null;
    if (!size) {
      throw avatarRejected(AvatarRejection.INVALID_GLB, `Texture ${index} is missing or not a readable PNG, JPEG, WebP, AVIF or KTX2 image.`, {
        texture: texture.getName() || index,
        mimeType: texture.getMimeType(),
      });
    }
    const [width, height] = size;
    if (Math.max(width, height) > budgets.maxTextureDimension) {
      throw avatarRejected(
        AvatarRejection.TEXTURE_TOO_LARGE,
        `Texture ${texture.getName() || index} is ${width}×${height}; at most ${budgets.maxTextureDimension}×${budgets.maxTextureDimension} is allowed.`,
        { texture: texture.getName() || index, width, height, maxTextureDimension: budgets.maxTextureDimension },
      );
    }
  });
  return textures.length;
}

function checkClipNames(names: string[]): void {
  const empty = names.flatMap((name, index) => (name.trim() === '' ? [index] : []));
  const malformed = names.filter(
    (name) => name.trim() !== '' && (name !== name.trim() || name.length > MAX_CLIP_NAME_LENGTH || CONTROL_CHARACTERS.test(name)),
  );
  const duplicates = [...new Set(names.filter((name, index) => name.trim() !== '' && names.indexOf(name) !== index))];
  if (empty.length === 0 && malformed.length === 0 && duplicates.length === 0) return;
  const problems = [
    empty.length ? `${empty.length} unnamed` : '',
    duplicates.length ? `duplicated: ${duplicates.map((n) => `"${n}"`).join(', ')}` : '',
    malformed.length ? `with surrounding spaces, control characters or over ${MAX_CLIP_NAME_LENGTH} characters: ${malformed.length}` : '',
  ].filter(Boolean);
  throw avatarRejected(
    AvatarRejection.BAD_CLIP_NAMES,
    `Every animation clip needs its own name, because bots choose clips by name (${problems.join('; ')}).`,
    { unnamedClipIndexes: empty, duplicateClipNames: duplicates, malformedClipNames: malformed.map((n) => n.slice(0, MAX_CLIP_NAME_LENGTH)) },
  );
}

function clipDurations(document: Document): Record<string, number> {
  const durations: Record<string, number> = {};
  for (const animation of document.getRoot().listAnimations()) {
    const ends = animation.listSamplers().map((sampler) => sampler.getInput()?.getMax([0])[0] ?? 0);
    durations[animation.getName()] = Math.max(0, ...ends.filter(Number.isFinite));
  }
  return durations;
}

/**
 * Validates an uploaded avatar and reports what it holds. Throws a BAD_USER_INPUT DomainError whose
 * `details.reason` names the first rule broken (see AvatarRejection), in this order: size,
 * container structure, parse, triangles, textures, skinning, animations, clip names.
 */
export async function inspectAvatarGlb(bytes: Uint8Array, budgets: AvatarBudgets = DEFAULT_AVATAR_BUDGETS): Promise<AvatarInspection> {
  if (bytes.byteLength > budgets.maxUploadBytes) {
    throw avatarRejected(AvatarRejection.TOO_LARGE, `The file is ${bytes.byteLength} bytes; at most ${budgets.maxUploadBytes} are allowed.`, {
      byteSize: bytes.byteLength,
      maxBytes: budgets.maxUploadBytes,
    });
  }
  preflightGlb(bytes, budgets.maxDecodedBytes);
  let document: Document;
  try {
    document = await (await gltfIO()).readBinary(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message.slice(0, 200) : 'unreadable';
    throw avatarRejected(AvatarRejection.INVALID_GLB, 'The file is not a valid glTF binary and could not be read.', { parseError: reason }, { cause: error });
  }

  const triangleCount = countTriangles(document);
  if (triangleCount > budgets.maxTriangles) {
    throw avatarRejected(AvatarRejection.TOO_MANY_TRIANGLES, `The model has ${triangleCount} triangles; at most ${budgets.maxTriangles} are allowed.`, {
      triangleCount,
      maxTriangles: budgets.maxTriangles,
    });
  }
  const textureCount = checkTextures(document, budgets);
  if (!document.getRoot().listNodes().some(isSkinnedMeshNode)) {
    throw avatarRejected(AvatarRejection.NOT_SKINNED, 'The model has no skinned mesh (a mesh bound to a skeleton with joint weights), so it cannot be animated.');
  }
  const clipNames = document.getRoot().listAnimations().map((animation) => animation.getName());
  if (clipNames.length === 0) {
    throw avatarRejected(AvatarRejection.NO_ANIMATIONS, 'The model has no animation clips; include at least an idle clip.');
  }
  checkClipNames(clipNames);
  return { document, triangleCount, clipNames, clipDurations: clipDurations(document), morphTargets: listMorphTargetNames(document), textureCount };
}

import type { AvatarBudgets } from './avatar-budgets.ts';
import { entries, readGlbJson } from './glb-container.ts';
import { GlbRejection, GlbRuleViolation } from './glb-rejection.ts';
import type { GltfJson } from './gltf-json.ts';
import { checkTextureDimensions } from './texture-dimensions.ts';

/** Bundles and the runtime address clips by name; the bot bundle allows 1 to 100 characters. */
export const MAX_CLIP_NAME_LENGTH = 100;
// Control characters cannot be shown, and NUL cannot be stored in PostgreSQL jsonb at all.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** A name a bundle can store and a designer can read: at most 100 characters, no control characters. */
export const isStorableName = (name: string): boolean => name.length <= MAX_CLIP_NAME_LENGTH && !CONTROL_CHARACTERS.test(name);

/** glTF primitive modes (the spec's numbers): points and lines draw no triangles. */
const TRIANGLES = 4;
const TRIANGLE_STRIP = 5;
const TRIANGLE_FAN = 6;

const countOf = (json: GltfJson, accessor: unknown): number | undefined => {
  const count = typeof accessor === 'number' ? entries(json.accessors)[accessor]?.count : undefined;
  return typeof count === 'number' && Number.isFinite(count) && count > 0 ? count : undefined;
};

const meshOf = (json: GltfJson, index: unknown) => (typeof index === 'number' ? entries(json.meshes)[index] : undefined);

/** Triangles drawn: every node showing a mesh draws all of its primitives. */
export function countTriangles(json: GltfJson): number {
  let total = 0;
  for (const node of entries(json.nodes)) {
    for (const primitive of entries(meshOf(json, node.mesh)?.primitives)) {
      const mode = primitive.mode ?? TRIANGLES;
      if (mode !== TRIANGLES && mode !== TRIANGLE_STRIP && mode !== TRIANGLE_FAN) continue;
      const count = countOf(json, primitive.indices) ?? countOf(json, primitive.attributes?.['POSITION']) ?? 0;
      total += mode === TRIANGLES ? Math.floor(count / 3) : Math.max(0, count - 2);
    }
  }
  return total;
}

/** A node that draws a mesh bound to a skeleton with joint weights. */
function isSkinnedMeshNode(json: GltfJson, node: Partial<NonNullable<GltfJson['nodes']>[number]>): boolean {
  const skin = typeof node.skin === 'number' ? entries(json.skins)[node.skin] : undefined;
  if (!skin || !Array.isArray(skin.joints) || skin.joints.length === 0) return false;
  return entries(meshOf(json, node.mesh)?.primitives).some(
    (primitive) => primitive.attributes?.['JOINTS_0'] !== undefined && primitive.attributes?.['WEIGHTS_0'] !== undefined,
  );
}

export function checkUploadSize(byteLength: number, budgets: AvatarBudgets): void {
  if (byteLength > budgets.maxUploadBytes) {
    throw new GlbRuleViolation(GlbRejection.TOO_LARGE, `The file is ${byteLength} bytes; at most ${budgets.maxUploadBytes} are allowed.`, {
      byteSize: byteLength,
      maxBytes: budgets.maxUploadBytes,
    });
  }
}

/** The triangle and texture-count budgets (pixel sizes: checkTextureDimensions). */
export function checkModelBudgets(json: GltfJson, budgets: AvatarBudgets): { triangleCount: number; textureCount: number } {
  const triangleCount = countTriangles(json);
  if (triangleCount > budgets.maxTriangles) {
    throw new GlbRuleViolation(GlbRejection.TOO_MANY_TRIANGLES, `The model has ${triangleCount} triangles; at most ${budgets.maxTriangles} are allowed.`, {
      triangleCount,
      maxTriangles: budgets.maxTriangles,
    });
  }
  // glTF-Transform reads one texture per image, which is what the server stores and resizes.
  const textureCount = entries(json.images).length;
  if (textureCount > budgets.maxTextures) {
    throw new GlbRuleViolation(GlbRejection.TEXTURE_TOO_LARGE, `The model has ${textureCount} textures; at most ${budgets.maxTextures} are allowed.`, {
      textureCount,
      maxTextures: budgets.maxTextures,
    });
  }
  return { triangleCount, textureCount };
}

function checkClipNames(names: string[]): void {
  const empty = names.flatMap((name, index) => (name.trim() === '' ? [index] : []));
  const malformed = names.filter((name) => name.trim() !== '' && (name !== name.trim() || !isStorableName(name)));
  const duplicates = [...new Set(names.filter((name, index) => name.trim() !== '' && names.indexOf(name) !== index))];
  if (empty.length === 0 && malformed.length === 0 && duplicates.length === 0) return;
  const problems = [
    empty.length ? `${empty.length} unnamed` : '',
    duplicates.length ? `duplicated: ${duplicates.map((n) => `"${n}"`).join(', ')}` : '',
    malformed.length ? `with surrounding spaces, control characters or over ${MAX_CLIP_NAME_LENGTH} characters: ${malformed.length}` : '',
  ].filter(Boolean);
  throw new GlbRuleViolation(
    GlbRejection.BAD_CLIP_NAMES,
    `Every animation clip needs its own name, because bots choose clips by name (${problems.join('; ')}).`,
    { unnamedClipIndexes: empty, duplicateClipNames: duplicates, malformedClipNames: malformed.map((n) => n.slice(0, MAX_CLIP_NAME_LENGTH)) },
  );
}

/** A skinned mesh, at least one clip, and clip names a bundle can map. Returns the clip names in file order. */
export function checkAnimatable(json: GltfJson): string[] {
  if (!entries(json.nodes).some((node) => isSkinnedMeshNode(json, node))) {
    throw new GlbRuleViolation(
      GlbRejection.NOT_SKINNED,
      'The model has no skinned mesh (a mesh bound to a skeleton with joint weights), so it cannot be animated.',
    );
  }
  const clipNames = entries(json.animations).map((animation) => (typeof animation.name === 'string' ? animation.name : ''));
  if (clipNames.length === 0) {
    throw new GlbRuleViolation(GlbRejection.NO_ANIMATIONS, 'The model has no animation clips; include at least an idle clip.');
  }
  checkClipNames(clipNames);
  return clipNames;
}

/** What the rules learnt about an accepted model. */
export interface GlbRulesReport {
  json: GltfJson;
  triangleCount: number;
  textureCount: number;
  /** In file order; non-empty, trimmed and unique. */
  clipNames: string[];
}

/**
 * Every rule, in the server's order: size, container, triangles, texture count, texture pixel sizes
 * (read from the image headers), skinning, animations, clip names. Throws a GlbRuleViolation naming
 * the first broken.
 */
export function checkAvatarGlb(bytes: Uint8Array, budgets: AvatarBudgets): GlbRulesReport {
  checkUploadSize(bytes.byteLength, budgets);
  const json = readGlbJson(bytes, budgets.maxDecodedBytes);
  const { triangleCount, textureCount } = checkModelBudgets(json, budgets);
  checkTextureDimensions(bytes, json, budgets);
  return { json, triangleCount, textureCount, clipNames: checkAnimatable(json) };
}

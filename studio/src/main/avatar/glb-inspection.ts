// Reads what Studio needs to know about a GLB before a designer maps it: clip names, triangles drawn,
// whether it is skinned, and the same refusals the server applies at upload (size and triangle
// budgets, GLB container, external files, Draco, clip names), so a model that passes here is not
// refused later at sync. The server keeps the authoritative check (server/src/modules/avatars/
// glb-validation.ts); these rules mirror its README's list, reason codes included.
import { StudioError } from '../../shared/studio-error.ts';

export const AVATAR_BUDGETS = { maxBytes: 15 * 1024 * 1024, maxTriangles: 100_000, maxTextures: 8 } as const;

export interface GlbInspection {
  byteSize: number;
  triangleCount: number;
  clipNames: string[];
  skinned: boolean;
}

const GLB_MAGIC = 0x46546c67; // "glTF"
const JSON_CHUNK = 0x4e4f534a; // "JSON"
const READABLE_EXTENSIONS = new Set([
  'EXT_meshopt_compression', 'KHR_mesh_quantization', 'KHR_texture_transform', 'KHR_materials_unlit',
  'KHR_materials_emissive_strength', 'KHR_texture_basisu', 'EXT_texture_webp',
]);

interface GltfJson {
  asset?: { version?: string };
  extensionsRequired?: string[];
  buffers?: { uri?: string }[];
  images?: { uri?: string }[];
  textures?: unknown[];
  accessors?: { count?: number }[];
  meshes?: { primitives?: { mode?: number; indices?: number; attributes?: Record<string, number> }[] }[];
  nodes?: { mesh?: number; skin?: number }[];
  animations?: { name?: string }[];
}

function refuse(reason: string, message: string): never {
  throw new StudioError('BAD_USER_INPUT', message, [{ field: 'avatar', message: `${reason}: ${message}` }]);
}

function readJson(bytes: Uint8Array): GltfJson {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 20 || view.getUint32(0, true) !== GLB_MAGIC) refuse('AVATAR_INVALID_GLB', 'The file is not a GLB (binary glTF).');
  if (view.getUint32(4, true) !== 2) refuse('AVATAR_INVALID_GLB', 'Only glTF 2 GLB files are supported.');
  if (view.getUint32(8, true) !== bytes.byteLength) refuse('AVATAR_INVALID_GLB', 'The GLB header length does not match the file size.');
  const jsonLength = view.getUint32(12, true);
  if (view.getUint32(16, true) !== JSON_CHUNK || 20 + jsonLength > bytes.byteLength) refuse('AVATAR_INVALID_GLB', 'The GLB has no readable JSON chunk.');
  try {
    return JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + jsonLength))) as GltfJson;
  } catch (error) {
    throw new StudioError('BAD_USER_INPUT', 'The GLB JSON chunk is broken.', [{ field: 'avatar', message: 'AVATAR_INVALID_GLB' }], { cause: error });
  }
}

function trianglesOf(gltf: GltfJson, meshIndex: number): number {
  let total = 0;
  for (const primitive of gltf.meshes?.[meshIndex]?.primitives ?? []) {
    if ((primitive.mode ?? 4) !== 4) continue; // only TRIANGLES count towards the budget
    const accessor = primitive.indices ?? primitive.attributes?.['POSITION'];
    total += Math.floor((accessor === undefined ? 0 : (gltf.accessors?.[accessor]?.count ?? 0)) / 3);
  }
  return total;
}

function checkClipNames(names: (string | undefined)[]): string[] {
  const seen = new Set<string>();
  for (const name of names) {
    // eslint-disable-next-line no-control-regex
    const bad = !name || name !== name.trim() || name.length > 100 || /[\u0000-\u001f\u007f]/.test(name) || seen.has(name);
    if (bad) refuse('AVATAR_BAD_CLIP_NAMES', `Clip ${JSON.stringify(name ?? null)} is unnamed, duplicated, padded, too long or has control characters.`);
    seen.add(name);
  }
  return [...seen];
}

/** Inspects and validates a GLB; throws StudioError(BAD_USER_INPUT) naming the server's refusal reason. */
export function inspectGlb(bytes: Uint8Array): GlbInspection {
  if (bytes.byteLength > AVATAR_BUDGETS.maxBytes) refuse('AVATAR_TOO_LARGE', `The model is over ${AVATAR_BUDGETS.maxBytes} bytes.`);
  const gltf = readJson(bytes);
  if (!/^2\./.test(gltf.asset?.version ?? '')) refuse('AVATAR_INVALID_GLB', 'asset.version must be 2.x.');
  const unreadable = (gltf.extensionsRequired ?? []).filter((name) => !READABLE_EXTENSIONS.has(name));
  if (unreadable.length > 0) refuse('AVATAR_INVALID_GLB', `The model requires extensions Mascot cannot read: ${unreadable.join(', ')}.`);
  const external = [...(gltf.buffers ?? []), ...(gltf.images ?? [])].some((item) => item.uri !== undefined && !item.uri.startsWith('data:'));
  if (external) refuse('AVATAR_INVALID_GLB', 'The model refers to external files; embed everything in the GLB.');

  const nodes = gltf.nodes ?? [];
  const triangleCount = nodes.reduce((sum, node) => sum + (node.mesh === undefined ? 0 : trianglesOf(gltf, node.mesh)), 0);
  if (triangleCount > AVATAR_BUDGETS.maxTriangles) refuse('AVATAR_TOO_MANY_TRIANGLES', `The model draws ${triangleCount} triangles; the budget is ${AVATAR_BUDGETS.maxTriangles}.`);
  if ((gltf.textures ?? []).length > AVATAR_BUDGETS.maxTextures) refuse('AVATAR_TEXTURE_TOO_LARGE', `The model has more than ${AVATAR_BUDGETS.maxTextures} textures.`);
  const skinned = nodes.some(
    (node) =>
      node.mesh !== undefined && node.skin !== undefined &&
      (gltf.meshes?.[node.mesh]?.primitives ?? []).some((p) => p.attributes?.['JOINTS_0'] !== undefined && p.attributes?.['WEIGHTS_0'] !== undefined),
  );
  if (!skinned) refuse('AVATAR_NOT_SKINNED', 'No mesh is bound to a skeleton (JOINTS_0/WEIGHTS_0).');
  const animations = gltf.animations ?? [];
  if (animations.length === 0) refuse('AVATAR_NO_ANIMATIONS', 'The model has no animation clips.');
  return { byteSize: bytes.byteLength, triangleCount, clipNames: checkClipNames(animations.map((a) => a.name)), skinned };
}

import { describe, expect, it } from 'vitest';
import { DEFAULT_AVATAR_BUDGETS, type AvatarBudgets } from './avatar-budgets.ts';
import { checkAvatarGlb } from './avatar-rules.ts';
import { READABLE_GLTF_EXTENSIONS } from './glb-container.ts';
import { GlbRejection, GlbRuleViolation } from './glb-rejection.ts';

/** A GLB container around `json` alone: the rules read only the JSON chunk. */
function glb(json: unknown): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(json));
  const padded = new Uint8Array(Math.ceil(text.length / 4) * 4).fill(0x20);
  padded.set(text);
  const bytes = new Uint8Array(20 + padded.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x46546c67, true);
  view.setUint32(4, 2, true);
  view.setUint32(8, bytes.length, true);
  view.setUint32(12, padded.length, true);
  view.setUint32(16, 0x4e4f534a, true);
  bytes.set(padded, 20);
  return bytes;
}

const skinnedModel = (overrides: Record<string, unknown> = {}) => ({
  asset: { version: '2.0' },
  accessors: [{ count: 300 }, { count: 120 }],
  meshes: [{ primitives: [{ indices: 0, attributes: { POSITION: 1, JOINTS_0: 1, WEIGHTS_0: 1 } }] }],
  skins: [{ joints: [1] }],
  nodes: [{ mesh: 0, skin: 0 }, { mesh: 0, skin: 0 }],
  animations: [{ name: 'Idle' }, { name: 'Wave' }],
  ...overrides,
});

function violation(bytes: Uint8Array, budgets: Partial<AvatarBudgets> = {}): GlbRuleViolation {
  try {
    checkAvatarGlb(bytes, { ...DEFAULT_AVATAR_BUDGETS, ...budgets });
  } catch (error) {
    if (error instanceof GlbRuleViolation) return error;
    throw error;
  }
  throw new Error('expected the model to be refused');
}

const reasonOf = (bytes: Uint8Array) => violation(bytes).reason;

describe('avatar GLB rules', () => {
  it('accepts a skinned, animated model and counts the triangles every node draws', () => {
    expect(checkAvatarGlb(glb(skinnedModel()), DEFAULT_AVATAR_BUDGETS)).toMatchObject({ triangleCount: 200, textureCount: 0, clipNames: ['Idle', 'Wave'] });
  });

  it('counts strips and fans, and no triangles for points and lines', () => {
    const primitives = [
      { mode: 5, attributes: { POSITION: 0, JOINTS_0: 0, WEIGHTS_0: 0 } },
      { mode: 6, attributes: { POSITION: 0 } },
      { mode: 1, attributes: { POSITION: 0 } },
    ];
    const model = skinnedModel({ accessors: [{ count: 10 }], meshes: [{ primitives }], nodes: [{ mesh: 0, skin: 0 }] });
    expect(checkAvatarGlb(glb(model), DEFAULT_AVATAR_BUDGETS).triangleCount).toBe(16);
  });

  it('refuses broken containers, external files and unreadable extensions as AVATAR_INVALID_GLB', () => {
    expect(reasonOf(new TextEncoder().encode('not a glb at all, just text'))).toBe(GlbRejection.INVALID_GLB);
    expect(violation(new TextEncoder().encode('{"asset":{"version":"2.0"}}')).message).toMatch(/JSON glTF/);
    expect(reasonOf(glb(skinnedModel()).subarray(0, 40))).toBe(GlbRejection.INVALID_GLB);
    expect(reasonOf(glb(skinnedModel({ asset: { version: '1.0' } })))).toBe(GlbRejection.INVALID_GLB);
    expect(reasonOf(glb(skinnedModel({ extensionsRequired: ['KHR_draco_mesh_compression'] })))).toBe(GlbRejection.INVALID_GLB);
    expect(reasonOf(glb(skinnedModel({ buffers: [{ uri: 'model.bin' }] })))).toBe(GlbRejection.INVALID_GLB);
    expect(reasonOf(glb(skinnedModel({ images: [{ uri: 'file:///etc/passwd' }] })))).toBe(GlbRejection.INVALID_GLB);
  });

  it('reads the extensions the server reads, except Draco', () => {
    expect(READABLE_GLTF_EXTENSIONS.has('EXT_meshopt_compression')).toBe(true);
    expect(READABLE_GLTF_EXTENSIONS.has('KHR_draco_mesh_compression')).toBe(false);
  });

  it('refuses files over the size budget and files declaring more decoded data than allowed', () => {
    expect(violation(new Uint8Array(DEFAULT_AVATAR_BUDGETS.maxUploadBytes + 1))).toMatchObject({
      reason: GlbRejection.TOO_LARGE,
      details: { maxBytes: DEFAULT_AVATAR_BUDGETS.maxUploadBytes },
    });
    const bomb = skinnedModel({ accessors: [{ count: 300 }, { count: 120 }, { count: 1_000_000_000, type: 'VEC4', componentType: 5126 }] });
    expect(reasonOf(glb(bomb))).toBe(GlbRejection.TOO_LARGE);
  });

  it('refuses more triangles or textures than the budgets', () => {
    expect(reasonOf(glb(skinnedModel({ accessors: [{ count: 300_003 }, { count: 3 }] })))).toBe(GlbRejection.TOO_MANY_TRIANGLES);
    expect(violation(glb(skinnedModel({ images: [{}, {}, {}] })), { maxTextures: 2 })).toMatchObject({
      reason: GlbRejection.TEXTURE_TOO_LARGE,
      details: { textureCount: 3, maxTextures: 2 },
    });
  });

  it('refuses a model without a skinned mesh: no skin, a skin without joints, or no joint weights', () => {
    expect(reasonOf(glb(skinnedModel({ nodes: [{ mesh: 0 }] })))).toBe(GlbRejection.NOT_SKINNED);
    expect(reasonOf(glb(skinnedModel({ skins: [{ joints: [] }] })))).toBe(GlbRejection.NOT_SKINNED);
    expect(reasonOf(glb(skinnedModel({ meshes: [{ primitives: [{ indices: 0, attributes: { POSITION: 1 } }] }] })))).toBe(GlbRejection.NOT_SKINNED);
  });

  it('refuses a model without clips, and unnamed, duplicated, padded or overlong clip names, naming them', () => {
    expect(reasonOf(glb(skinnedModel({ animations: [] })))).toBe(GlbRejection.NO_ANIMATIONS);
    expect(violation(glb(skinnedModel({ animations: [{ name: 'Wave' }, { name: 'Wave' }] })))).toMatchObject({
      reason: GlbRejection.BAD_CLIP_NAMES,
      details: { duplicateClipNames: ['Wave'] },
    });
    expect(violation(glb(skinnedModel({ animations: [{ name: 'Idle' }, {}] })))).toMatchObject({ details: { unnamedClipIndexes: [1] } });
    expect(violation(glb(skinnedModel({ animations: [{ name: ' Wave' }] })))).toMatchObject({ details: { malformedClipNames: [' Wave'] } });
    expect(reasonOf(glb(skinnedModel({ animations: [{ name: 'x'.repeat(101) }] })))).toBe(GlbRejection.BAD_CLIP_NAMES);
    expect(reasonOf(glb(skinnedModel({ animations: [{ name: 'wave\u0000' }] })))).toBe(GlbRejection.BAD_CLIP_NAMES);
  });

  it('treats malformed JSON structure as an unskinned model instead of crashing', () => {
    expect(reasonOf(glb({ asset: { version: '2.0' }, nodes: 'many', meshes: [null], skins: {}, animations: 7 }))).toBe(GlbRejection.NOT_SKINNED);
  });
});

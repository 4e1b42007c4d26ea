import { readFile } from 'node:fs/promises';
import { BUILTIN_AVATARS } from '@mascot/avatar-assets';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/studio-error.ts';
import { inspectGlb } from './glb-inspection.ts';

/** A GLB container around `json` (the inspection reads only the JSON chunk). */
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
  nodes: [{ mesh: 0, skin: 0 }, { mesh: 0, skin: 0 }],
  animations: [{ name: 'Idle' }, { name: 'Wave' }],
  ...overrides,
});

function reasonOf(bytes: Uint8Array): string {
  try {
    inspectGlb(bytes);
  } catch (error) {
    if (error instanceof StudioError) return error.fields[0]!.message.split(':')[0]!;
    throw error;
  }
  return 'accepted';
}

describe('GLB inspection', () => {
  it.each(BUILTIN_AVATARS.map((a) => [a.id, a.file] as const))('accepts the built-in avatar %s and lists its clips', async (_id, file) => {
    const inspection = inspectGlb(new Uint8Array(await readFile(file)));
    expect(inspection.skinned).toBe(true);
    expect(inspection.clipNames.length).toBeGreaterThanOrEqual(20);
    expect(inspection.triangleCount).toBeGreaterThan(100);
  });

  it('counts the triangles every node draws', () => {
    expect(inspectGlb(glb(skinnedModel())).triangleCount).toBe(200);
  });

  it('refuses models the server would refuse, with the server reason', () => {
    expect(reasonOf(new TextEncoder().encode('not a glb at all, just text'))).toBe('AVATAR_INVALID_GLB');
    expect(reasonOf(glb(skinnedModel({ asset: { version: '1.0' } })))).toBe('AVATAR_INVALID_GLB');
    expect(reasonOf(glb(skinnedModel({ extensionsRequired: ['KHR_draco_mesh_compression'] })))).toBe('AVATAR_INVALID_GLB');
    expect(reasonOf(glb(skinnedModel({ buffers: [{ uri: 'model.bin' }] })))).toBe('AVATAR_INVALID_GLB');
    expect(reasonOf(glb(skinnedModel({ accessors: [{ count: 300_003 }, { count: 3 }] })))).toBe('AVATAR_TOO_MANY_TRIANGLES');
    expect(reasonOf(glb(skinnedModel({ nodes: [{ mesh: 0 }] })))).toBe('AVATAR_NOT_SKINNED');
    expect(reasonOf(glb(skinnedModel({ animations: [] })))).toBe('AVATAR_NO_ANIMATIONS');
    expect(reasonOf(glb(skinnedModel({ animations: [{ name: 'Wave' }, { name: 'Wave' }] })))).toBe('AVATAR_BAD_CLIP_NAMES');
    expect(reasonOf(glb(skinnedModel({ animations: [{ name: ' Wave' }] })))).toBe('AVATAR_BAD_CLIP_NAMES');
    expect(reasonOf(glb(skinnedModel({ animations: [{}] })))).toBe('AVATAR_BAD_CLIP_NAMES');
    expect(reasonOf(new Uint8Array(15 * 1024 * 1024 + 1))).toBe('AVATAR_TOO_LARGE');
  });
});

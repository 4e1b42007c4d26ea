import { describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors/index.ts';
import { AvatarRejection } from './avatars.errors.ts';
import { DEFAULT_AVATAR_BUDGETS, inspectAvatarGlb, type AvatarBudgets } from './glb-validation.ts';
import { editedMilo, miloBytes, tinyAvatar, tinyAvatarAsJson, withJson } from './test-avatars.ts';

async function refusal(bytes: Uint8Array | Promise<Uint8Array>, budgets: Partial<AvatarBudgets> = {}): Promise<DomainError> {
  const error = await inspectAvatarGlb(await bytes, { ...DEFAULT_AVATAR_BUDGETS, ...budgets }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

describe('avatar validation', () => {
  it('accepts Milo and reports his triangles, 20 clips and face morph targets', async () => {
    const report = await inspectAvatarGlb(await miloBytes());
    expect(report.triangleCount).toBeGreaterThan(1000);
    expect(report.clipNames).toHaveLength(20);
    expect(report.clipNames.slice(0, 3)).toEqual(['idle', 'idle_alt', 'listen']);
    expect(report.clipDurations['idle']).toBeGreaterThan(0);
    expect(report.morphTargets).toEqual(['mouthOpen', 'mouthSmile', 'mouthRound', 'mouthClosed', 'mouthFrown', 'blinkLeft', 'blinkRight']);
  });

  it('accepts a model without morph targets (they are reported, not required)', async () => {
    const report = await inspectAvatarGlb(await tinyAvatar());
    expect(report).toMatchObject({ triangleCount: 1, clipNames: ['idle'], morphTargets: [] });
  });

  it('refuses every failure as BAD_USER_INPUT with the precise reason in details', async () => {
    const error = await refusal(tinyAvatar({ skinned: false }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.details).toMatchObject({ reason: AvatarRejection.NOT_SKINNED });
    expect(error.message).toMatch(/skinned/);
  });

  it('refuses garbage bytes, a JSON .gltf, a truncated file and another GLB version as AVATAR_INVALID_GLB', async () => {
    const garbage = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
    const milo = await miloBytes();
    const version1 = milo.slice();
    new DataView(version1.buffer).setUint32(4, 1, true);
    for (const bytes of [garbage, await tinyAvatarAsJson(), milo.subarray(0, milo.byteLength - 100), version1, new Uint8Array(3)]) {
      expect((await refusal(bytes)).details['reason']).toBe(AvatarRejection.INVALID_GLB);
    }
    expect((await refusal(tinyAvatarAsJson())).message).toMatch(/JSON glTF/);
  });

  it('refuses a GLB whose JSON is broken, that names external files, or that requires an unreadable extension', async () => {
    const tiny = await tinyAvatar();
    const cases = [
      withJson(tiny, (json) => void (json['asset'] = { version: '1.0' })),
      withJson(tiny, (json) => void (json['images'] = [{ uri: 'file:///etc/passwd' }])),
      withJson(tiny, (json) => void (json['buffers'][0].uri = 'https://example.com/buffer.bin')),
      withJson(tiny, (json) => void (json['extensionsRequired'] = ['KHR_draco_mesh_compression'])),
      withJson(tiny, (json) => void (json['accessors'][0].bufferView = 99)),
    ];
    for (const bytes of cases) expect((await refusal(bytes)).details['reason']).toBe(AvatarRejection.INVALID_GLB);
  });

  it('refuses files over the size budget and files declaring more decoded data than allowed, before parsing', async () => {
    const milo = await miloBytes();
    expect(await refusal(milo, { maxUploadBytes: 100_000 })).toMatchObject({
      details: { reason: AvatarRejection.TOO_LARGE, byteSize: milo.byteLength, maxBytes: 100_000 },
    });
    // A zero-filled accessor of a billion elements: tiny file, gigabytes once read.
    const bomb = withJson(await tinyAvatar(), (json) => void json['accessors'].push({ count: 1_000_000_000, type: 'VEC4', componentType: 5126 }));
    expect((await refusal(bomb)).details['reason']).toBe(AvatarRejection.TOO_LARGE);
  });

  it('refuses more triangles than the budget', async () => {
    const error = await refusal(miloBytes(), { maxTriangles: 1000 });
    expect(error.details).toMatchObject({ reason: AvatarRejection.TOO_MANY_TRIANGLES, maxTriangles: 1000 });
    expect(error.details['triangleCount']).toBeGreaterThan(1000);
  });

  it('refuses too many textures and textures larger than the dimension budget', async () => {
    expect(await refusal(tinyAvatar({ textures: [[64, 64], [64, 32], [32, 64]] }), { maxTextures: 2 })).toMatchObject({
      details: { reason: AvatarRejection.TEXTURE_TOO_LARGE, textureCount: 3, maxTextures: 2 },
    });
    expect(await refusal(tinyAvatar({ textures: [[512, 64]] }), { maxTextureDimension: 256 })).toMatchObject({
      details: { reason: AvatarRejection.TEXTURE_TOO_LARGE, width: 512, height: 64 },
    });
    await expect(inspectAvatarGlb(await tinyAvatar({ textures: [[512, 64]] }))).resolves.toMatchObject({ textureCount: 1 });
  });

  it('refuses a model without a skinned mesh', async () => {
    const unskinned = editedMilo((document) => {
      for (const node of document.getRoot().listNodes()) node.setSkin(null);
    });
    expect((await refusal(unskinned)).details['reason']).toBe(AvatarRejection.NOT_SKINNED);
  });

  it('refuses a model without animation clips', async () => {
    const still = editedMilo((document) => {
      for (const animation of document.getRoot().listAnimations()) animation.dispose();
    });
    expect((await refusal(still)).details['reason']).toBe(AvatarRejection.NO_ANIMATIONS);
  });

  it('refuses duplicated, empty and untrimmed clip names, naming them', async () => {
    const duplicated = editedMilo((document) => {
      const [first, second] = document.getRoot().listAnimations();
      second!.setName(first!.getName());
    });
    expect(await refusal(duplicated)).toMatchObject({ details: { reason: AvatarRejection.BAD_CLIP_NAMES, duplicateClipNames: ['idle'] } });
    expect(await refusal(tinyAvatar({ clips: ['idle', ''] }))).toMatchObject({
      details: { reason: AvatarRejection.BAD_CLIP_NAMES, unnamedClipIndexes: [1] },
    });
    expect(await refusal(tinyAvatar({ clips: [' wave'] }))).toMatchObject({
      details: { reason: AvatarRejection.BAD_CLIP_NAMES, malformedClipNames: [' wave'] },
    });
    expect((await refusal(tinyAvatar({ clips: ['x'.repeat(101)] }))).details['reason']).toBe(AvatarRejection.BAD_CLIP_NAMES);
  });
});

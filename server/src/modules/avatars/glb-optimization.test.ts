import { createHash } from 'node:crypto';
import { ImageUtils } from '@gltf-transform/core';
import { describe, expect, it } from 'vitest';
import { optimizeAvatar } from './glb-optimization.ts';
import { inspectAvatarGlb } from './glb-validation.ts';
import { gltfIO } from './gltf-io.ts';
import { miloBytes, tinyAvatar, unoptimizedMilo } from './test-avatars.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('avatar optimisation', () => {
  it('shrinks an uncompressed export to a fraction and keeps every clip and morph target', async () => {
    const original = await inspectAvatarGlb(await miloBytes());
    const raw = await unoptimizedMilo();
    const optimized = await optimizeAvatar((await inspectAvatarGlb(raw)).document);
    expect(optimized.byteLength).toBeLessThan(raw.byteLength / 2);

    const after = await inspectAvatarGlb(optimized);
    expect(after.clipNames).toEqual(original.clipNames);
    expect(after.morphTargets).toEqual(original.morphTargets);
    expect(after.triangleCount).toBe(original.triangleCount);
    const document = await (await gltfIO()).readBinary(optimized);
    expect(document.getRoot().listExtensionsUsed().map((e) => e.extensionName)).toContain('EXT_meshopt_compression');
    expect(document.getRoot().listSkins()).toHaveLength(1);
  });

  it('gives the same bytes for the same upload, so identical uploads share one content hash', async () => {
    const raw = await unoptimizedMilo();
    const first = await optimizeAvatar((await inspectAvatarGlb(raw)).document);
    const second = await optimizeAvatar((await inspectAvatarGlb(raw)).document);
    expect(sha256(first)).toBe(sha256(second));
  });

  it('resizes textures over 1024 pixels, keeping their aspect, and leaves smaller ones their size', async () => {
    const bytes = await tinyAvatar({ textures: [[2048, 1024], [300, 300]], morphTargets: ['mouthOpen', 'blinkLeft'] });
    const optimized = await optimizeAvatar((await inspectAvatarGlb(bytes)).document);
    const after = await inspectAvatarGlb(optimized);
    const sizes = after.document.getRoot().listTextures().map((t) => ImageUtils.getSize(t.getImage()!, t.getMimeType()));
    expect(sizes).toEqual([[1024, 512], [300, 300]]);
    expect(after.morphTargets).toEqual(['mouthOpen', 'blinkLeft']);
  });

  it('keeps a clip whose channels animate nothing, because bundles map clips by name', async () => {
    const bytes = await tinyAvatar({ clips: ['idle', 'wave'] });
    const document = (await inspectAvatarGlb(bytes)).document;
    for (const channel of document.getRoot().listAnimations()[1]!.listChannels()) channel.dispose();
    const after = await inspectAvatarGlb(await optimizeAvatar(document));
    expect(after.clipNames).toEqual(['idle', 'wave']);
  });
});

import { ImageUtils, PropertyType, type Document } from '@gltf-transform/core';
import { compressTexture, dedup, meshopt, prune, PRUNE_DEFAULTS, resample, weld } from '@gltf-transform/functions';
import sharp from 'sharp';
import { listMorphTargetNames } from './glb-validation.ts';
import { gltfIO, MeshoptEncoder } from './gltf-io.ts';

/** Textures are served at most this large: avatars are small on screen and the widget loads on any phone. */
export const MAX_SERVED_TEXTURE_SIZE = 1024;

/** Image formats sharp re-encodes; KTX2 (already GPU-compressed) is kept as uploaded. */
const RESIZABLE = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/avif']);

/**
 * Clips are never pruned: a clip whose channels lost their target still names a slot mapping entry,
 * and the runtime tolerates empty clips. Everything else unused goes.
 */
const PRUNED_TYPES = PRUNE_DEFAULTS.propertyTypes.filter((type) => type !== PropertyType.ANIMATION);

/**
 * Textures larger than the served size are resized (aspect kept) and re-encoded in their format;
 * smaller ones are re-encoded only when that makes them smaller (compressTexture keeps the original
 * otherwise).
 */
async function shrinkTextures(document: Document): Promise<void> {
  for (const texture of document.getRoot().listTextures()) {
    const image = texture.getImage();
    if (!image || !RESIZABLE.has(texture.getMimeType())) continue;
    const [width, height] = ImageUtils.getSize(image, texture.getMimeType()) ?? [0, 0];
    const oversized = Math.max(width, height) > MAX_SERVED_TEXTURE_SIZE;
    await compressTexture(texture, {
      encoder: sharp,
      ...(oversized ? { resize: [MAX_SERVED_TEXTURE_SIZE, MAX_SERVED_TEXTURE_SIZE] as [number, number] } : {}),
    });
  }
}

const clipNamesOf = (document: Document) => document.getRoot().listAnimations().map((animation) => animation.getName());

/**
 * Size-oriented optimisation of a validated avatar, in place, returning the GLB to store:
 * dedup and prune unused data, weld identical vertices, drop animation keyframes linear
 * interpolation reproduces, resize textures, then quantise and meshopt-compress
 * (EXT_meshopt_compression; one quantisation volume for the scene so meshes sharing a skin still
 * line up). The output is deterministic for the same input, so identical uploads get identical
 * hashes. Clip names and morph target names are checked to survive unchanged.
 */
export async function optimizeAvatar(document: Document): Promise<Uint8Array> {
  const clipsBefore = clipNamesOf(document);
  const morphsBefore = listMorphTargetNames(document);
  await MeshoptEncoder.ready;
  await document.transform(
    dedup(),
    prune({ propertyTypes: PRUNED_TYPES, keepLeaves: true }),
    weld(),
    resample(),
  );
  await shrinkTextures(document);
  await document.transform(meshopt({ encoder: MeshoptEncoder, level: 'high', quantizationVolume: 'scene' }));

  const clipsAfter = clipNamesOf(document);
  const morphsAfter = listMorphTargetNames(document);
  if (clipsAfter.join('\n') !== clipsBefore.join('\n') || morphsAfter.join('\n') !== morphsBefore.join('\n')) {
    // A bug in the pipeline, never the uploader's fault: refuse to store a model that lost clips or morphs.
    throw new Error(`Avatar optimisation changed clips or morph targets: [${clipsBefore}] → [${clipsAfter}], [${morphsBefore}] → [${morphsAfter}]`);
  }
  return (await gltfIO()).writeBinary(document);
}

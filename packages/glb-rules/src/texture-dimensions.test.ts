import { describe, expect, it } from 'vitest';
import { DEFAULT_AVATAR_BUDGETS } from './avatar-budgets.ts';
import { checkAvatarGlb } from './avatar-rules.ts';
import { GlbRejection, GlbRuleViolation } from './glb-rejection.ts';

/** The first 33 bytes of a PNG: signature and IHDR, which is where its pixel size is read from. */
function pngHeader(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(33);
  const view = new DataView(bytes.buffer);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  view.setUint32(8, 13);
  bytes.set([0x49, 0x48, 0x44, 0x52], 12); // IHDR
  view.setUint32(16, width);
  view.setUint32(20, height);
  bytes.set([8, 2, 0, 0, 0], 24); // 8-bit RGB
  return bytes;
}

const pad4 = (length: number) => Math.ceil(length / 4) * 4;

/** A GLB whose JSON chunk is `json` and whose binary chunk holds `bin`. */
function glb(json: unknown, bin: Uint8Array): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(json));
  const jsonLength = pad4(text.length);
  const binLength = pad4(bin.length);
  const bytes = new Uint8Array(12 + 8 + jsonLength + 8 + binLength);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x46546c67, true);
  view.setUint32(4, 2, true);
  view.setUint32(8, bytes.length, true);
  view.setUint32(12, jsonLength, true);
  view.setUint32(16, 0x4e4f534a, true);
  bytes.fill(0x20, 20, 20 + jsonLength);
  bytes.set(text, 20);
  view.setUint32(20 + jsonLength, binLength, true);
  view.setUint32(24 + jsonLength, 0x004e4942, true);
  bytes.set(bin, 28 + jsonLength);
  return bytes;
}

/** A skinned, animated model with one texture per image given, stored in the binary chunk. */
function texturedModel(images: { name?: string; bytes: Uint8Array; mimeType?: string }[]): Uint8Array {
  const offsets: number[] = [];
  let length = 0;
  for (const image of images) {
    offsets.push(length);
    length += pad4(image.bytes.length);
  }
  const bin = new Uint8Array(length);
  images.forEach((image, i) => bin.set(image.bytes, offsets[i]));
  return glb({
    asset: { version: '2.0' },
    buffers: [{ byteLength: bin.length }],
    bufferViews: images.map((image, i) => ({ buffer: 0, byteOffset: offsets[i], byteLength: image.bytes.length })),
    images: images.map((image, i) => ({ bufferView: i, mimeType: image.mimeType ?? 'image/png', ...(image.name ? { name: image.name } : {}) })),
    accessors: [{ count: 3 }, { count: 3 }],
    meshes: [{ primitives: [{ indices: 0, attributes: { POSITION: 1, JOINTS_0: 1, WEIGHTS_0: 1 } }] }],
    skins: [{ joints: [1] }],
    nodes: [{ mesh: 0, skin: 0 }, {}],
    animations: [{ name: 'Idle' }],
  }, bin);
}

function violation(bytes: Uint8Array): GlbRuleViolation {
  try {
    checkAvatarGlb(bytes, DEFAULT_AVATAR_BUDGETS);
  } catch (error) {
    if (error instanceof GlbRuleViolation) return error;
    throw error;
  }
  throw new Error('expected the model to be refused');
}

describe('texture pixel sizes', () => {
  it('accepts textures up to the dimension budget, read from the image headers', () => {
    const report = checkAvatarGlb(texturedModel([{ bytes: pngHeader(4096, 4096) }, { bytes: pngHeader(512, 256) }]), DEFAULT_AVATAR_BUDGETS);
    expect(report.textureCount).toBe(2);
  });

  it('refuses a texture wider or taller than the budget, naming it and its size', () => {
    const refused = violation(texturedModel([{ bytes: pngHeader(1024, 1024) }, { name: 'skin', bytes: pngHeader(8192, 16) }]));
    expect(refused).toMatchObject({
      reason: GlbRejection.TEXTURE_TOO_LARGE,
      message: 'Texture skin is 8192×16; at most 4096×4096 is allowed.',
      details: { texture: 'skin', width: 8192, height: 16, maxTextureDimension: 4096 },
    });
    // Unnamed textures are named by their index, as glTF-Transform lists them.
    expect(violation(texturedModel([{ bytes: pngHeader(64, 5000) }])).message).toBe('Texture 0 is 64×5000; at most 4096×4096 is allowed.');
  });

  it('reads images given as data URIs too', () => {
    const model = texturedModel([]);
    const withDataUri = JSON.parse(new TextDecoder().decode(model.subarray(20, 20 + new DataView(model.buffer).getUint32(12, true))));
    withDataUri.images = [{ uri: `data:image/png;base64,${btoa(String.fromCharCode(...pngHeader(5000, 10)))}` }];
    expect(violation(glb(withDataUri, new Uint8Array(0)))).toMatchObject({ reason: GlbRejection.TEXTURE_TOO_LARGE, details: { width: 5000 } });
  });

  it('reads images from a buffer given as a data URI, the buffer shared by every image in it', () => {
    const model = texturedModel([{ bytes: pngHeader(64, 64) }, { name: 'face', bytes: pngHeader(6000, 64) }]);
    const jsonLength = new DataView(model.buffer).getUint32(12, true);
    const json = JSON.parse(new TextDecoder().decode(model.subarray(20, 20 + jsonLength)));
    const bin = model.subarray(28 + jsonLength);
    json.buffers = [{ byteLength: bin.length, uri: `data:application/octet-stream;base64,${btoa(String.fromCharCode(...bin))}` }];
    expect(violation(glb(json, new Uint8Array(0)))).toMatchObject({ reason: GlbRejection.TEXTURE_TOO_LARGE, details: { texture: 'face', width: 6000 } });
  });

  it('refuses a texture that is not a readable image as AVATAR_INVALID_GLB', () => {
    expect(violation(texturedModel([{ bytes: new TextEncoder().encode('not an image at all, honest') }]))).toMatchObject({
      reason: GlbRejection.INVALID_GLB,
      message: 'Texture 0 is missing or not a readable PNG, JPEG, WebP, AVIF or KTX2 image.',
    });
  });
});

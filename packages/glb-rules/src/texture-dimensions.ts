import { ImageUtils } from '@gltf-transform/core';
import type { AvatarBudgets } from './avatar-budgets.ts';
import { binaryChunk, entries } from './glb-container.ts';
import { GlbRejection, GlbRuleViolation } from './glb-rejection.ts';
import type { GltfJson } from './gltf-json.ts';

/** Bytes of a base64 data URI (readGlbJson allows no other URIs). */
function dataUriBytes(uri: string): Uint8Array | null {
  const comma = uri.indexOf(',');
  if (comma < 0 || !uri.slice(0, comma).endsWith(';base64')) return null;
  let binary: string;
  try {
    binary = atob(uri.slice(comma + 1));
  } catch {
    return null;
  }
  // A plain loop: Uint8Array.from(binary, mapFn) takes some twenty times longer on a model-sized buffer.
  const decoded = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) decoded[i] = binary.charCodeAt(i);
  return decoded;
}

/** Width and height from the image header; null when the header is cut short or declares no pixels. */
function sizeOf(encoded: Uint8Array, mimeType: string): [number, number] | null {
  try {
    const size = ImageUtils.getSize(encoded, mimeType);
    return size && size[0] > 0 && size[1] > 0 ? [size[0], size[1]] : null;
  } catch {
    return null; // the readers index past the end of a truncated header
  }
}

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined);

type BufferBytes = (index: number) => Uint8Array | null;

/** Each buffer's bytes (the BIN chunk, or a decoded data URI), read at most once however many images it holds. */
function bufferReader(bytes: Uint8Array, json: GltfJson): BufferBytes {
  const read = new Map<number, Uint8Array | null>();
  return (index) => {
    if (!read.has(index)) {
      const uri = entries(json.buffers)[index]?.uri;
      read.set(index, typeof uri === 'string' ? dataUriBytes(uri) : index === 0 ? binaryChunk(bytes) : null);
    }
    return read.get(index) ?? null;
  };
}

/** The encoded bytes of an image: from its buffer view (BIN chunk or a data-URI buffer) or its own data URI. */
function imageBytes(buffers: BufferBytes, json: GltfJson, image: Partial<NonNullable<GltfJson['images']>[number]>): Uint8Array | null {
  if (typeof image.uri === 'string') return dataUriBytes(image.uri);
  const view = entries(json.bufferViews)[num(image.bufferView) ?? -1];
  const bufferIndex = num(view?.buffer);
  if (!view || bufferIndex === undefined) return null;
  const data = buffers(bufferIndex);
  const start = num(view.byteOffset) ?? 0;
  const length = num(view.byteLength);
  if (!data || length === undefined || start + length > data.byteLength) return null;
  return data.subarray(start, start + length);
}

/**
 * Every texture's pixel size within `maxTextureDimension`, read from the image headers (PNG, JPEG,
 * and WebP, AVIF and KTX2 through the glTF-Transform extensions' readers) without decoding pixels.
 * A texture that is missing or unreadable is AVATAR_INVALID_GLB; one too large AVATAR_TEXTURE_TOO_LARGE,
 * named by its name (or index) with its size. Textures are numbered as glTF-Transform lists them,
 * one per image.
 */
export function checkTextureDimensions(bytes: Uint8Array, json: GltfJson, budgets: AvatarBudgets): void {
  const buffers = bufferReader(bytes, json);
  entries(json.images).forEach((image, index) => {
    const name = typeof image.name === 'string' && image.name ? image.name : index;
    const encoded = imageBytes(buffers, json, image);
    // The format is sniffed from the bytes, not taken from the declared mimeType: a header read with
    // the wrong format's reader gives a nonsense size.
    const mimeType = encoded ? ImageUtils.getMimeType(encoded) : null;
    const size = encoded && mimeType ? sizeOf(encoded, mimeType) : null;
    if (!size) {
      throw new GlbRuleViolation(GlbRejection.INVALID_GLB, `Texture ${index} is missing or not a readable PNG, JPEG, WebP, AVIF or KTX2 image.`, {
        texture: name,
        mimeType: typeof image.mimeType === 'string' ? image.mimeType : mimeType,
      });
    }
    const [width, height] = size;
    if (Math.max(width, height) > budgets.maxTextureDimension) {
      throw new GlbRuleViolation(
        GlbRejection.TEXTURE_TOO_LARGE,
        `Texture ${name} is ${width}×${height}; at most ${budgets.maxTextureDimension}×${budgets.maxTextureDimension} is allowed.`,
        { texture: name, width, height, maxTextureDimension: budgets.maxTextureDimension },
      );
    }
  });
}

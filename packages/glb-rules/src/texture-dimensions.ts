import { ImageUtils } from '@gltf-transform/core';
import type { AvatarBudgets } from './avatar-budgets.ts';
import { entries } from './glb-container.ts';
import { GlbRejection, GlbRuleViolation } from './glb-rejection.ts';
import type { GltfJson } from './gltf-json.ts';

const GLB_HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;
const CHUNK_BIN = 0x004e4942; // 'BIN\0'

/** The GLB's binary chunk (buffer 0 of a self-contained GLB), or null when it has none. */
function binaryChunk(bytes: Uint8Array): Uint8Array | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const binStart = GLB_HEADER_BYTES + CHUNK_HEADER_BYTES + view.getUint32(GLB_HEADER_BYTES, true);
  if (binStart + CHUNK_HEADER_BYTES > bytes.byteLength || view.getUint32(binStart + 4, true) !== CHUNK_BIN) return null;
  const length = view.getUint32(binStart, true);
  return bytes.subarray(binStart + CHUNK_HEADER_BYTES, Math.min(bytes.byteLength, binStart + CHUNK_HEADER_BYTES + length));
}

/** Bytes of a base64 data URI (readGlbJson allows no other URIs). */
function dataUriBytes(uri: string): Uint8Array | null {
  const comma = uri.indexOf(',');
  if (comma < 0 || !uri.slice(0, comma).endsWith(';base64')) return null;
  try {
    return Uint8Array.from(atob(uri.slice(comma + 1)), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
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

/** The encoded bytes of image `index`: from its buffer view (BIN chunk or a data-URI buffer) or its own data URI. */
function imageBytes(bytes: Uint8Array, json: GltfJson, image: Partial<NonNullable<GltfJson['images']>[number]>): Uint8Array | null {
  if (typeof image.uri === 'string') return dataUriBytes(image.uri);
  const view = entries(json.bufferViews)[num(image.bufferView) ?? -1];
  const bufferIndex = num(view?.buffer);
  if (!view || bufferIndex === undefined) return null;
  const buffer = entries(json.buffers)[bufferIndex];
  const data = typeof buffer?.uri === 'string' ? dataUriBytes(buffer.uri) : bufferIndex === 0 ? binaryChunk(bytes) : null;
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
  entries(json.images).forEach((image, index) => {
    const name = typeof image.name === 'string' && image.name ? image.name : index;
    const encoded = imageBytes(bytes, json, image);
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

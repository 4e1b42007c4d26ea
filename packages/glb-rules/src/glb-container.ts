import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { GlbRejection, GlbRuleViolation } from './glb-rejection.ts';
import { addressedDecodedBytes } from './accessor-extents.ts';
import type { GltfJson } from './gltf-json.ts';

const GLB_MAGIC = 0x46546c67; // 'glTF'
const CHUNK_JSON = 0x4e4f534a; // 'JSON'
const CHUNK_BIN = 0x004e4942; // 'BIN\0'
const HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;

/**
 * Extensions the server's glTF-Transform reader handles (it registers ALL_EXTENSIONS). Draco has no
 * decoder there, so files requiring it are refused as unsupported rather than half-read.
 */
export const READABLE_GLTF_EXTENSIONS: ReadonlySet<string> = new Set(
  ALL_EXTENSIONS.map((extension) => extension.EXTENSION_NAME).filter((name) => name !== 'KHR_draco_mesh_compression'),
);

const invalid = (message: string, details: Record<string, unknown> = {}, cause?: unknown) =>
  new GlbRuleViolation(GlbRejection.INVALID_GLB, message, details, cause === undefined ? undefined : { cause });

/** The entries of a top-level glTF array; the JSON is untrusted, so anything else reads as empty. */
export const entries = <T>(value: T[] | undefined): Partial<T>[] => (Array.isArray(value) ? value.map((item) => item ?? {}) : []);

/** A URI a self-contained GLB may carry: none, or inline data. */
const isEmbedded = (uri: unknown) => uri === undefined || (typeof uri === 'string' && uri.startsWith('data:'));

function parseJsonChunk(bytes: Uint8Array): GltfJson {
  if (bytes.byteLength < HEADER_BYTES + CHUNK_HEADER_BYTES) {
    throw invalid('The file is not a glTF binary (.glb): it is too short to hold a GLB header.');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== GLB_MAGIC) {
    const looksLikeJson = bytes[0] === 0x7b || (bytes[0] === 0xef && bytes[3] === 0x7b);
    throw invalid(
      looksLikeJson
        ? 'The file is a JSON glTF (.gltf); upload a glTF binary (.glb) with its buffers and textures embedded.'
        : 'The file is not a glTF binary (.glb): it does not start with the bytes "glTF".',
    );
  }
  const version = view.getUint32(4, true);
  if (version !== 2) throw invalid(`The file is a glTF binary of version ${version}; only glTF 2.0 is supported.`, { version });
  const declaredLength = view.getUint32(8, true);
  if (declaredLength !== bytes.byteLength) {
    throw invalid('The file is truncated or has trailing data: its header declares another length.', {
      declaredLength,
      actualLength: bytes.byteLength,
    });
  }
  const jsonLength = view.getUint32(HEADER_BYTES, true);
  const jsonStart = HEADER_BYTES + CHUNK_HEADER_BYTES;
  if (view.getUint32(HEADER_BYTES + 4, true) !== CHUNK_JSON || jsonStart + jsonLength > bytes.byteLength) {
    throw invalid('The file is not a valid glTF binary: its first chunk is not the JSON chunk.');
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(jsonStart, jsonStart + jsonLength)));
  } catch (error) {
    throw invalid('The file is not a valid glTF binary: its JSON chunk does not parse.', {}, error);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw invalid('The file is not a valid glTF binary: its JSON chunk is not an object.');
  return json as GltfJson;
}

/** The GLB's binary chunk (buffer 0 of a self-contained GLB), or null when it has none. Call after readGlbJson. */
export function binaryChunk(bytes: Uint8Array): Uint8Array | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const binStart = HEADER_BYTES + CHUNK_HEADER_BYTES + view.getUint32(HEADER_BYTES, true);
  if (binStart + CHUNK_HEADER_BYTES > bytes.byteLength || view.getUint32(binStart + 4, true) !== CHUNK_BIN) return null;
  const length = view.getUint32(binStart, true);
  return bytes.subarray(binStart + CHUNK_HEADER_BYTES, Math.min(bytes.byteLength, binStart + CHUNK_HEADER_BYTES + length));
}

/**
 * Structural checks on the GLB container and its JSON, before any glTF library parses it: the binary
 * header (magic 'glTF', version 2, declared length), a JSON first chunk, glTF 2.x, no external
 * files, only extensions the server can read, and a bound on what decoding would allocate.
 * Returns the JSON chunk for the model rules.
 */
export function readGlbJson(bytes: Uint8Array, maxDecodedBytes: number): GltfJson {
  const json = parseJsonChunk(bytes);
  const assetVersion = typeof json.asset?.version === 'string' ? json.asset.version : undefined;
  if (!assetVersion || !/^2\.\d+$/.test(assetVersion)) {
    throw invalid('The file does not declare glTF version 2 in asset.version.', { assetVersion: assetVersion ?? null });
  }
  const external = [...entries(json.buffers), ...entries(json.images)].filter((entry) => !isEmbedded(entry.uri)).length;
  if (external > 0) {
    throw invalid('The file refers to external files; embed every buffer and texture in the .glb.', { externalResources: external });
  }
  const required = Array.isArray(json.extensionsRequired) ? json.extensionsRequired.map(String) : [];
  const unsupported = required.filter((name) => !READABLE_GLTF_EXTENSIONS.has(name));
  if (unsupported.length > 0) {
    throw invalid(`The file requires glTF extensions we cannot read: ${unsupported.join(', ')}.`, { unsupportedExtensions: unsupported });
  }
  // Computed from what accessors and views really address, not what they declare (issue 15, finding 5).
  const decoded = addressedDecodedBytes(json, binaryChunk(bytes)?.byteLength ?? 0);
  if (decoded > maxDecodedBytes) {
    throw new GlbRuleViolation(GlbRejection.TOO_LARGE, 'The model declares more data than the size budget allows once decoded.', {
      declaredDecodedBytes: decoded,
      maxDecodedBytes,
    });
  }
  return json;
}

// What a glTF reader really allocates and reads for a model, computed from the JSON alone before
// anything is decoded (issue 15, finding 5). A reader copies every accessor into its own typed array
// of count × element size, whatever its buffer view holds: an accessor reading a 12-byte view with a
// zero byte stride can declare gigabytes (each element read from the same bytes). So each accessor
// must fit inside its buffer view (byteOffset + stride × (count − 1) + element size ≤ view length,
// stride ≥ element size), each view inside its buffer, and the first buffer inside the GLB's BIN
// chunk; then the sum of everything decoded is held against the budget.

import { GlbRejection, GlbRuleViolation } from './glb-rejection.ts';
import type { GltfJson } from './gltf-json.ts';

const COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT2: 4, MAT3: 9, MAT4: 16 };
const COMPONENT_BYTES: Record<number, number> = { 5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4 };
/** glTF 2.0: byteStride of a vertex buffer view, when given, lies in 4..252. */
const MIN_STRIDE = 4;
const MAX_STRIDE = 252;
/** EXT_meshopt_compression: a decoded element is at most 256 bytes. */
const MAX_MESHOPT_STRIDE = 256;

type Json = Record<string, unknown>;
const record = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map(record) : []);
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

class Extents {
  decodedBytes = 0;
  constructor(private readonly json: GltfJson, private readonly binBytes: number) {}

  fail(message: string, details: Record<string, unknown>): never {
    throw new GlbRuleViolation(GlbRejection.INVALID_GLB, `The file is not a valid glTF binary: ${message}`, details);
  }

  /** A non-negative integer field (absent: `fallback`), or a refusal naming where it is. */
  count(value: unknown, where: string, fallback?: number): number {
    if (value === undefined && fallback !== undefined) return fallback;
    if (!isCount(value)) this.fail(`${where} is not a whole number of bytes or elements.`, { field: where, value: typeof value === 'number' ? value : String(value) });
    return value;
  }

  buffer(index: unknown, where: string): Json {
    const buffer = Number.isInteger(index) ? list(this.json.buffers)[index as number] : undefined;
    if (!buffer) this.fail(`${where} names no existing buffer.`, { field: where, buffer: String(index) });
    return buffer;
  }

  view(index: unknown, where: string): Json {
    const view = Number.isInteger(index) ? list(this.json.bufferViews)[index as number] : undefined;
    if (!view) this.fail(`${where} names no existing buffer view.`, { field: where, bufferView: String(index) });
    return view;
  }

  checkBuffers(): void {
    list(this.json.buffers).forEach((buffer, i) => {
      const byteLength = this.count(buffer['byteLength'], `buffers[${i}].byteLength`);
      // Buffer 0 without a URI is the BIN chunk; it cannot claim more bytes than the chunk holds.
      if (i === 0 && buffer['uri'] === undefined && byteLength > this.binBytes) {
        this.fail('buffer 0 declares more bytes than the binary chunk holds.', { field: 'buffers[0].byteLength', byteLength, binaryChunkBytes: this.binBytes });
      }
      this.decodedBytes += byteLength;
    });
  }

  checkViews(): void {
    list(this.json.bufferViews).forEach((view, i) => {
      const where = `bufferViews[${i}]`;
      const byteOffset = this.count(view['byteOffset'], `${where}.byteOffset`, 0);
      const byteLength = this.count(view['byteLength'], `${where}.byteLength`);
      const buffer = this.buffer(view['buffer'], `${where}.buffer`);
      if (byteOffset + byteLength > Number(buffer['byteLength'])) {
        this.fail(`${where} reaches past the end of its buffer.`, { field: where, byteOffset, byteLength, bufferByteLength: buffer['byteLength'] });
      }
      if (view['byteStride'] !== undefined) {
        const stride = this.count(view['byteStride'], `${where}.byteStride`);
        if (stride < MIN_STRIDE || stride > MAX_STRIDE || stride % 4 !== 0) {
          this.fail(`${where}.byteStride is ${stride}; glTF allows multiples of 4 from ${MIN_STRIDE} to ${MAX_STRIDE}.`, { field: `${where}.byteStride`, byteStride: stride });
        }
      }
      this.decodedBytes += byteLength;
      const meshopt = record(record(view['extensions'])['EXT_meshopt_compression']);
      if (Object.keys(meshopt).length > 0) this.checkMeshoptView(meshopt, `${where}.extensions.EXT_meshopt_compression`, byteLength);
    });
  }

  /** Compressed views decode count × byteStride bytes from a range of another buffer. */
  private checkMeshoptView(meshopt: Json, where: string, viewByteLength: number): void {
    const source = this.buffer(meshopt['buffer'], `${where}.buffer`);
    const byteOffset = this.count(meshopt['byteOffset'], `${where}.byteOffset`, 0);
    const byteLength = this.count(meshopt['byteLength'], `${where}.byteLength`);
    if (byteOffset + byteLength > Number(source['byteLength'])) {
      this.fail(`${where} reaches past the end of its buffer.`, { field: where, byteOffset, byteLength });
    }
    const count = this.count(meshopt['count'], `${where}.count`);
    const stride = this.count(meshopt['byteStride'], `${where}.byteStride`);
    if (stride < 1 || stride > MAX_MESHOPT_STRIDE) this.fail(`${where}.byteStride is ${stride}; 1 to ${MAX_MESHOPT_STRIDE} is allowed.`, { field: where, byteStride: stride });
    if (count * stride > viewByteLength) {
      this.fail(`${where} decodes to ${count * stride} bytes, more than its buffer view's ${viewByteLength}.`, { field: where, count, byteStride: stride });
    }
    this.decodedBytes += count * stride;
  }

  /** `count` elements of `elementBytes` read from `viewIndex` at `byteOffset`: within the view, stride never below the element. */
  checkRange(viewIndex: unknown, byteOffsetValue: unknown, count: number, elementBytes: number, where: string): void {
    const view = this.view(viewIndex, `${where}.bufferView`);
    const byteOffset = this.count(byteOffsetValue, `${where}.byteOffset`, 0);
    const stride = view['byteStride'] === undefined ? elementBytes : Number(view['byteStride']);
    if (stride < elementBytes) {
      this.fail(`${where} reads elements of ${elementBytes} bytes with a byte stride of ${stride}.`, { field: where, byteStride: stride, elementBytes });
    }
    const end = count === 0 ? byteOffset : byteOffset + stride * (count - 1) + elementBytes;
    if (end > Number(view['byteLength'])) {
      this.fail(`${where} addresses ${end} bytes of a buffer view of ${String(view['byteLength'])}.`, { field: where, count, byteOffset, byteStride: stride, addressedBytes: end, bufferViewByteLength: view['byteLength'] });
    }
  }

  checkAccessors(): void {
    list(this.json.accessors).forEach((accessor, i) => {
      const where = `accessors[${i}]`;
      // Unknown types are left to the reader to refuse; until then they count as the largest element (MAT4 of floats).
      const components = COMPONENTS[String(accessor['type'])] ?? 16;
      const componentBytes = COMPONENT_BYTES[Number(accessor['componentType'])] ?? 4;
      const count = this.count(accessor['count'], `${where}.count`);
      const elementBytes = components * componentBytes;
      // Every accessor is copied into an array of its own, with or without a buffer view (zero-filled).
      this.decodedBytes += count * elementBytes;
      if (accessor['bufferView'] !== undefined) this.checkRange(accessor['bufferView'], accessor['byteOffset'], count, elementBytes, where);
      const sparse = record(accessor['sparse']);
      if (Object.keys(sparse).length === 0) return;
      const sparseCount = this.count(sparse['count'], `${where}.sparse.count`);
      if (sparseCount > count) this.fail(`${where}.sparse.count exceeds the accessor's count.`, { field: where, count, sparseCount });
      const indices = record(sparse['indices']);
      const indexBytes = COMPONENT_BYTES[Number(indices['componentType'])] ?? 4;
      const values = record(sparse['values']);
      this.checkRange(indices['bufferView'], indices['byteOffset'], sparseCount, indexBytes, `${where}.sparse.indices`);
      this.checkRange(values['bufferView'], values['byteOffset'], sparseCount, elementBytes, `${where}.sparse.values`);
      this.decodedBytes += sparseCount * (indexBytes + elementBytes);
    });
  }
}

/**
 * Bytes a reader allocates for the model: buffers, buffer views (meshopt views decoded), and one
 * array per accessor (sparse parts included). Throws AVATAR_INVALID_GLB when an accessor, view or
 * buffer addresses bytes outside what contains it, or a count, offset or stride is not a valid number.
 */
export function addressedDecodedBytes(json: GltfJson, binChunkBytes: number): number {
  const extents = new Extents(json, binChunkBytes);
  extents.checkBuffers();
  extents.checkViews();
  extents.checkAccessors();
  return extents.decodedBytes;
}

import { describe, expect, it } from 'vitest';
import { addressedDecodedBytes } from './accessor-extents.ts';
import { GlbRejection, GlbRuleViolation } from './glb-rejection.ts';
import type { GltfJson } from './gltf-json.ts';

const FLOAT = 5126;
const USHORT = 5123;

/** A model with one 1,200-byte buffer (the BIN chunk) and one 1,200-byte view over it. */
const model = (accessors: unknown[], views: unknown[] = [{ buffer: 0, byteLength: 1200 }]): GltfJson =>
  ({ asset: { version: '2.0' }, buffers: [{ byteLength: 1200 }], bufferViews: views, accessors }) as GltfJson;

function refusal(json: GltfJson, bin = 1200): GlbRuleViolation {
  try {
    addressedDecodedBytes(json, bin);
  } catch (error) {
    expect(error).toBeInstanceOf(GlbRuleViolation);
    return error as GlbRuleViolation;
  }
  throw new Error('expected a refusal');
}

describe('decoded bytes from what accessors and views address', () => {
  it('counts buffers, views and one array per accessor, for valid tightly packed and strided data', () => {
    const json = model(
      [{ bufferView: 0, componentType: FLOAT, type: 'VEC3', count: 100 }, { bufferView: 1, componentType: FLOAT, type: 'VEC3', count: 10, byteOffset: 12 }],
      [{ buffer: 0, byteLength: 1200 }, { buffer: 0, byteLength: 264, byteStride: 24 }],
    );
    // buffer 1200 + views 1200 + 264 + accessors 1200 + 120
    expect(addressedDecodedBytes(json, 1200)).toBe(1200 + 1464 + 1320);
  });

  it('refuses a zero or too small byte stride, which would read every element from the same bytes', () => {
    const zero = refusal(model([{ bufferView: 0, componentType: FLOAT, type: 'VEC3', count: 30_000_000 }], [{ buffer: 0, byteLength: 12, byteStride: 0 }]));
    expect(zero).toMatchObject({ reason: GlbRejection.INVALID_GLB, details: { byteStride: 0 } });
    const narrow = refusal(model([{ bufferView: 0, componentType: FLOAT, type: 'VEC3', count: 100 }], [{ buffer: 0, byteLength: 1200, byteStride: 4 }]));
    expect(narrow.details).toMatchObject({ byteStride: 4, elementBytes: 12 });
  });

  it('refuses accessors that address past their view, and views past their buffer', () => {
    expect(refusal(model([{ bufferView: 0, componentType: FLOAT, type: 'VEC3', count: 101 }])).details).toMatchObject({ addressedBytes: 1212 });
    expect(refusal(model([{ bufferView: 0, componentType: FLOAT, type: 'SCALAR', count: 2, byteOffset: 1196 }])).details).toMatchObject({ addressedBytes: 1204 });
    expect(refusal(model([], [{ buffer: 0, byteOffset: 8, byteLength: 1200 }])).message).toMatch(/past the end of its buffer/);
    expect(refusal(model([]), 1000).message).toMatch(/more bytes than the binary chunk holds/);
  });

  it('refuses counts, offsets and strides that are not whole numbers', () => {
    for (const count of [1e300, 2.5, -1, '100', null]) {
      expect(refusal(model([{ componentType: FLOAT, type: 'SCALAR', count }])).reason).toBe(GlbRejection.INVALID_GLB);
    }
    expect(refusal(model([{ bufferView: 0, componentType: FLOAT, type: 'SCALAR', count: 1, byteOffset: -4 }])).reason).toBe(GlbRejection.INVALID_GLB);
    expect(refusal(model([{ bufferView: 7, componentType: FLOAT, type: 'SCALAR', count: 1 }])).message).toMatch(/no existing buffer view/);
  });

  it('counts what zero-filled, sparse and meshopt-compressed data decode to', () => {
    const zeroFilled = model([{ componentType: FLOAT, type: 'VEC4', count: 25_000_000 }], []);
    expect(addressedDecodedBytes(zeroFilled, 1200)).toBe(1200 + 400_000_000);
    const sparse = model(
      [{ componentType: FLOAT, type: 'VEC3', count: 1000, sparse: { count: 10, indices: { bufferView: 0, componentType: USHORT }, values: { bufferView: 0, byteOffset: 20 } } }],
    );
    expect(addressedDecodedBytes(sparse, 1200)).toBe(1200 + 1200 + 12_000 + 10 * (2 + 12));
    const meshopt = {
      asset: { version: '2.0' },
      buffers: [{ byteLength: 100 }, { byteLength: 4800, extensions: { EXT_meshopt_compression: { fallback: true } } }],
      bufferViews: [{ buffer: 1, byteLength: 4800, byteStride: 12, extensions: { EXT_meshopt_compression: { buffer: 0, byteLength: 100, byteStride: 12, count: 400, mode: 'ATTRIBUTES' } } }],
      accessors: [],
    } as GltfJson;
    expect(addressedDecodedBytes(meshopt, 100)).toBe(100 + 4800 + 4800 + 4800);
    const inflated = structuredClone(meshopt) as any;
    inflated.bufferViews[0].extensions.EXT_meshopt_compression.count = 40_000_000;
    expect(refusal(inflated, 100).message).toMatch(/decodes to 480000000 bytes/);
  });
});

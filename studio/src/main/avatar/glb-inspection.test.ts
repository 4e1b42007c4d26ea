import { readFile } from 'node:fs/promises';
import { crc32, deflateSync } from 'node:zlib';
import { Document, WebIO } from '@gltf-transform/core';
import { BUILTIN_AVATARS } from '@mascot/avatar-assets';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/studio-error.ts';
import { inspectGlb } from './glb-inspection.ts';

// The rules themselves are tested in @mascot/glb-rules; these tests cover Studio's use of them.

function failure(bytes: Uint8Array): StudioError {
  try {
    inspectGlb(bytes);
  } catch (error) {
    if (error instanceof StudioError) return error;
    throw error;
  }
  throw new Error('expected the model to be refused');
}

const reasonOf = (bytes: Uint8Array) => failure(bytes).fields[0]!.message.split(':')[0]!;

/** A real (greyscale) PNG of the given size, as an authoring tool would embed it. */
function png(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const rows = Buffer.alloc((width + 1) * height); // filter byte 0, black pixels
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', new Uint8Array(0))]));
}

/** A one-triangle skinned model with an idle clip and a base colour texture of the given size. */
async function texturedAvatar(width: number, height: number): Promise<Uint8Array> {
  const document = new Document();
  const buffer = document.createBuffer();
  const accessor = (type: 'SCALAR' | 'VEC2' | 'VEC3' | 'VEC4' | 'MAT4', array: Float32Array | Uint8Array | Uint16Array) =>
    document.createAccessor().setType(type).setArray(array).setBuffer(buffer);
  const joint = document.createNode('root');
  const texture = document.createTexture('skin').setImage(png(width, height)).setMimeType('image/png');
  const primitive = document
    .createPrimitive()
    .setAttribute('POSITION', accessor('VEC3', new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0])))
    .setAttribute('TEXCOORD_0', accessor('VEC2', new Float32Array([0, 0, 1, 0, 0, 1])))
    .setAttribute('JOINTS_0', accessor('VEC4', new Uint8Array(12)))
    .setAttribute('WEIGHTS_0', accessor('VEC4', new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0])))
    .setIndices(accessor('SCALAR', new Uint16Array([0, 1, 2])))
    .setMaterial(document.createMaterial('body').setBaseColorTexture(texture));
  const skin = document.createSkin('skin').addJoint(joint).setInverseBindMatrices(accessor('MAT4', new Float32Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])));
  const body = document.createNode('body').setMesh(document.createMesh('body').addPrimitive(primitive)).setSkin(skin);
  document.createScene('scene').addChild(joint).addChild(body);
  const sampler = document.createAnimationSampler()
    .setInput(accessor('SCALAR', new Float32Array([0, 1])))
    .setOutput(accessor('VEC4', new Float32Array([0, 0, 0, 1, 0, 0.38, 0, 0.92])));
  document.createAnimation('idle').addSampler(sampler)
    .addChannel(document.createAnimationChannel().setTargetNode(joint).setTargetPath('rotation').setSampler(sampler));
  return new WebIO().writeBinary(document);
}

describe('GLB inspection', () => {
  it.each(BUILTIN_AVATARS.map((a) => [a.id, a.file] as const))('accepts the built-in avatar %s and lists its clips', async (_id, file) => {
    const inspection = inspectGlb(new Uint8Array(await readFile(file)));
    expect(inspection.skinned).toBe(true);
    expect(inspection.clipNames.length).toBeGreaterThanOrEqual(20);
    expect(inspection.triangleCount).toBeGreaterThan(100);
  });

  it('refuses models the server would refuse as BAD_USER_INPUT, with the server reason', () => {
    expect(() => inspectGlb(new Uint8Array(3))).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(reasonOf(new TextEncoder().encode('not a glb at all, just text'))).toBe('AVATAR_INVALID_GLB');
    expect(reasonOf(new Uint8Array(15 * 1024 * 1024 + 1))).toBe('AVATAR_TOO_LARGE');
  });

  it('accepts textures within 4096 pixels and refuses a larger one, naming the texture and its size', async () => {
    expect(inspectGlb(await texturedAvatar(4096, 64)).clipNames).toEqual(['idle']);
    const refused = failure(await texturedAvatar(8192, 32));
    expect(refused.code).toBe('BAD_USER_INPUT');
    expect(refused.message).toBe('Texture skin is 8192×32; at most 4096×4096 is allowed.');
    expect(refused.fields).toEqual([{ field: 'avatar', message: 'AVATAR_TEXTURE_TOO_LARGE: Texture skin is 8192×32; at most 4096×4096 is allowed.' }]);
  });
});

/**
 * GLB fixtures for the avatar tests, built in memory with glTF-Transform: the packaged Milo, Milo
 * edited to break one rule at a time, and tiny hand-built models. Test support only.
 */
import { readFile } from 'node:fs/promises';
import { Document, type Node } from '@gltf-transform/core';
import { dequantize } from '@gltf-transform/functions';
import { BUILTIN_AVATARS } from '@mascot/avatar-assets';
import sharp from 'sharp';
import { GLTF_LOGGER, gltfIO } from './gltf-io.ts';

export const MILO_FILE = BUILTIN_AVATARS.find((avatar) => avatar.id === 'milo')!.file;

export async function miloBytes(): Promise<Uint8Array> {
  return new Uint8Array(await readFile(MILO_FILE));
}

/** Milo read, changed by `edit`, and written back as a GLB. */
export async function editedMilo(edit: (document: Document) => void | Promise<void>): Promise<Uint8Array> {
  const io = await gltfIO();
  const document = await io.readBinary(await miloBytes());
  await edit(document);
  return io.writeBinary(document);
}

/** Milo as an authoring tool would export it: float attributes, no meshopt compression. */
export function unoptimizedMilo(): Promise<Uint8Array> {
  return editedMilo(async (document) => {
    await document.transform(dequantize());
    for (const extension of document.getRoot().listExtensionsUsed()) {
      if (['EXT_meshopt_compression', 'KHR_mesh_quantization'].includes(extension.extensionName)) extension.dispose();
    }
  });
}

export interface TinyAvatarOptions {
  /** Bind the mesh to a one-joint skin (default true). */
  skinned?: boolean;
  /** One clip per name, each rotating the joint (default ['idle']). */
  clips?: string[];
  morphTargets?: string[];
  /** PNG textures of these sizes, used as base colour of extra materials. */
  textures?: [number, number][];
}

/** A one-triangle model, small enough to build in any shape a test needs. */
export async function tinyAvatar(options: TinyAvatarOptions = {}): Promise<Uint8Array> {
  const { skinned = true, clips = ['idle'], morphTargets = [], textures = [] } = options;
  const document = new Document().setLogger(GLTF_LOGGER);
  const buffer = document.createBuffer();
  const accessor = (type: 'SCALAR' | 'VEC2' | 'VEC3' | 'VEC4' | 'MAT4', array: Float32Array | Uint8Array | Uint16Array) =>
    document.createAccessor().setType(type).setArray(array).setBuffer(buffer);

  const joint = document.createNode('root');
  const primitive = document
    .createPrimitive()
    .setAttribute('POSITION', accessor('VEC3', new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0])))
    .setAttribute('TEXCOORD_0', accessor('VEC2', new Float32Array([0, 0, 1, 0, 0, 1])))
    .setIndices(accessor('SCALAR', new Uint16Array([0, 1, 2])));
  if (skinned) {
    primitive
      .setAttribute('JOINTS_0', accessor('VEC4', new Uint8Array(12)))
      .setAttribute('WEIGHTS_0', accessor('VEC4', new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0])));
  }
  for (const name of morphTargets) {
    primitive.addTarget(document.createPrimitiveTarget(name).setAttribute('POSITION', accessor('VEC3', new Float32Array([0, 0.1, 0, 0, 0, 0, 0, 0, 0]))));
  }
  const mesh = document.createMesh('body').addPrimitive(primitive);
  if (morphTargets.length) mesh.setWeights(morphTargets.map(() => 0));
  const meshNode: Node = document.createNode('body').setMesh(mesh);
  if (skinned) {
    const identity = new Float32Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    meshNode.setSkin(document.createSkin('skin').addJoint(joint).setSkeleton(joint).setInverseBindMatrices(accessor('MAT4', identity)));
  }
  const scene = document.createScene('scene').addChild(joint).addChild(meshNode);

  for (const [index, [width, height]] of textures.entries()) {
    // A gradient, not a flat colour: pruning turns single-colour textures into material factors.
    const pixels = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) pixels.set([(x * 255) / width, (y * 255) / height, 40 * index], (y * width + x) * 3);
    }
    const png = await sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer();
    const texture = document.createTexture(`texture${index}`).setImage(new Uint8Array(png)).setMimeType('image/png');
    const material = document.createMaterial(`material${index}`).setBaseColorTexture(texture);
    // Each textured material needs a primitive in the scene, or pruning would drop it.
    const extra = primitive.clone().setMaterial(material);
    scene.addChild(document.createNode(`textured${index}`).setMesh(document.createMesh(`textured${index}`).addPrimitive(extra)));
  }

  for (const name of clips) {
    const sampler = document
      .createAnimationSampler()
      .setInput(accessor('SCALAR', new Float32Array([0, 0.5, 1])))
      .setOutput(accessor('VEC4', new Float32Array([0, 0, 0, 1, 0, 0.38, 0, 0.92, 0, 0, 0, 1])));
    const channel = document.createAnimationChannel().setTargetNode(joint).setTargetPath('rotation').setSampler(sampler);
    document.createAnimation(name).addSampler(sampler).addChannel(channel);
  }
  return (await gltfIO()).writeBinary(document);
}

/** The same tiny model as a JSON glTF (.gltf) with its buffer inline: valid glTF, but not a binary. */
export async function tinyAvatarAsJson(): Promise<Uint8Array> {
  const io = await gltfIO();
  const document = await io.readBinary(await tinyAvatar());
  const json = await io.writeJSON(document);
  const buffer = json.resources[Object.keys(json.resources)[0]!]!;
  json.json.buffers![0]!.uri = `data:application/octet-stream;base64,${Buffer.from(buffer).toString('base64')}`;
  return new TextEncoder().encode(JSON.stringify(json.json));
}

/** Replaces the JSON chunk of a GLB (re-padding it), for crafting structurally hostile files. */
export function withJson(glb: Uint8Array, edit: (json: Record<string, any>) => void): Uint8Array {
  const view = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
  const jsonLength = view.getUint32(12, true);
  const json = JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + jsonLength))) as Record<string, any>;
  edit(json);
  let text = JSON.stringify(json);
  while (text.length % 4 !== 0) text += ' ';
  const jsonBytes = new TextEncoder().encode(text);
  const rest = glb.subarray(20 + jsonLength);
  const out = new Uint8Array(12 + 8 + jsonBytes.byteLength + rest.byteLength);
  const outView = new DataView(out.buffer);
  out.set(glb.subarray(0, 12));
  outView.setUint32(8, out.byteLength, true);
  outView.setUint32(12, jsonBytes.byteLength, true);
  outView.setUint32(16, 0x4e4f534a, true);
  out.set(jsonBytes, 20);
  out.set(rest, 20 + jsonBytes.byteLength);
  return out;
}

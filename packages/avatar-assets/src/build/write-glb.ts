/**
 * Assembles a CharacterModel into a glTF-Transform document, optimises it (dedupe keyframes,
 * quantise, meshopt-compress) and writes a GLB. Everything that could vary between runs — the
 * generator string, property order, timestamps — is fixed, so the same model gives the same bytes.
 */
import { Document, Logger, NodeIO, type Node } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { dedup, meshopt, prune, resample, weld } from '@gltf-transform/functions';
import { MeshoptDecoder, MeshoptEncoder } from 'meshoptimizer';
import type { CharacterModel } from './character-model.ts';
import { restTranslation } from './rig.ts';

/** Fixed so files do not change when a dependency is upgraded without changing the output. */
export const GENERATOR = 'Mascot avatar generator (packages/avatar-assets) v1';

const srgbToLinear = (c: number): number => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);

export async function createIO(): Promise<NodeIO> {
  await Promise.all([MeshoptEncoder.ready, MeshoptDecoder.ready]);
  return new NodeIO()
    .setLogger(QUIET)
    .registerExtensions(ALL_EXTENSIONS)
    .registerDependencies({ 'meshopt.encoder': MeshoptEncoder, 'meshopt.decoder': MeshoptDecoder });
}

/** glTF-Transform logs every prune at INFO; the generator prints its own one-line summary instead. */
const QUIET = new Logger(Logger.Verbosity.WARN);

export function buildDocument(model: CharacterModel): Document {
  const doc = new Document().setLogger(QUIET);
  doc.getRoot().getAsset().generator = GENERATOR;
  doc.getRoot().getAsset().copyright = 'Mascot project, original work';
  doc.getRoot().setExtras({ mascotAvatar: { id: model.id, name: model.name } });
  const buffer = doc.createBuffer();

  const materials = new Map(
    Object.entries(model.materials).map(([key, spec]) => {
      const material = doc
        .createMaterial(`${model.name}_${key}`)
        .setBaseColorFactor([1, 1, 1, 1])
        .setRoughnessFactor(spec.roughness)
        .setMetallicFactor(spec.metallic);
      if (spec.emissive) material.setEmissiveFactor(spec.emissive.map(srgbToLinear) as [number, number, number]);
      return [key, material] as const;
    }),
  );

  const bones = new Map<string, Node>();
  for (const bone of model.rig.bones) {
    const node = doc.createNode(bone.name).setTranslation(restTranslation(model.rig, bone.name));
    bones.set(bone.name, node);
    if (bone.parent) (bones.get(bone.parent) as Node).addChild(node);
  }
  const rootBone = bones.get((model.rig.bones[0] as { name: string }).name) as Node;

  // Bones have no rest rotation (see rig.ts), so each inverse bind matrix only undoes the joint's position.
  const ibm = new Float32Array(model.rig.bones.length * 16);
  model.rig.bones.forEach((bone, i) => {
    ibm.set([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, -bone.at[0], -bone.at[1], -bone.at[2], 1], i * 16);
  });
  const skin = doc
    .createSkin(`${model.name}_skin`)
    .setSkeleton(rootBone)
    .setInverseBindMatrices(doc.createAccessor().setType('MAT4').setArray(ibm).setBuffer(buffer));
  for (const bone of model.rig.bones) skin.addJoint(bones.get(bone.name) as Node);

  const character = doc.createNode(model.name).addChild(rootBone);
  for (const spec of model.meshes) {
    const mesh = doc.createMesh(spec.name);
    for (const data of spec.primitives) {
      const accessor = (type: 'VEC3' | 'VEC4' | 'SCALAR', array: Float32Array | Uint8Array | Uint16Array | Uint32Array) =>
        doc.createAccessor().setType(type).setArray(array).setBuffer(buffer);
      const material = materials.get(data.material);
      if (!material) throw new Error(`mesh ${spec.name} uses unknown material "${data.material}"`);
      const primitive = doc
        .createPrimitive()
        .setMaterial(material)
        .setAttribute('POSITION', accessor('VEC3', data.positions))
        .setAttribute('NORMAL', accessor('VEC3', data.normals))
        .setAttribute('COLOR_0', accessor('VEC3', data.colors))
        // Fewer than 256 joints, so one byte per joint index.
        .setAttribute('JOINTS_0', accessor('VEC4', Uint8Array.from(data.joints)))
        .setAttribute('WEIGHTS_0', accessor('VEC4', data.weights))
        .setIndices(accessor('SCALAR', data.indices));
      for (const name of spec.morphNames) {
        const deltas = data.targets.get(name);
        if (!deltas) throw new Error(`mesh ${spec.name} lacks morph "${name}"`);
        primitive.addTarget(doc.createPrimitiveTarget(name).setAttribute('POSITION', accessor('VEC3', deltas)));
      }
      mesh.addPrimitive(primitive);
    }
    if (spec.morphNames.length) mesh.setWeights(spec.morphNames.map(() => 0));
    character.addChild(doc.createNode(spec.name).setMesh(mesh).setSkin(skin));
  }
  doc.createScene(model.name).addChild(character);

  for (const clip of model.clips) {
    const animation = doc.createAnimation(clip.name).setExtras({ loop: model.loopingClips.includes(clip.name) });
    for (const track of clip.tracks) {
      const sampler = doc
        .createAnimationSampler()
        .setInterpolation('LINEAR')
        .setInput(doc.createAccessor().setType('SCALAR').setArray(track.times).setBuffer(buffer))
        .setOutput(
          doc
            .createAccessor()
            .setType(track.path === 'rotation' ? 'VEC4' : 'VEC3')
            .setArray(track.values)
            .setBuffer(buffer),
        );
      const channel = doc
        .createAnimationChannel()
        .setTargetNode(bones.get(track.bone) as Node)
        .setTargetPath(track.path)
        .setSampler(sampler);
      animation.addSampler(sampler).addChannel(channel);
    }
  }
  return doc;
}

/**
 * Size-oriented optimisation. resample drops keyframes linear interpolation reproduces; meshopt
 * quantises (one volume for the whole scene, so both meshes keep sharing one skin) and compresses.
 */
export async function optimize(doc: Document): Promise<void> {
  await MeshoptEncoder.ready;
  await doc.transform(
    weld(),
    resample({ tolerance: 1e-4 }),
    prune({ keepLeaves: true }),
    dedup(),
    meshopt({ encoder: MeshoptEncoder, level: 'high', quantizationVolume: 'scene' }),
  );
}

export interface WrittenAvatar {
  glb: Uint8Array;
  /** GLB size before optimisation, for the README's figures. */
  rawBytes: number;
}

export async function writeAvatar(model: CharacterModel): Promise<WrittenAvatar> {
  const io = await createIO();
  const doc = buildDocument(model);
  const raw = await io.writeBinary(doc);
  await optimize(doc);
  return { glb: await io.writeBinary(doc), rawBytes: raw.byteLength };
}

import { readFile } from 'node:fs/promises';
import { AnimationMixer, Quaternion, type SkinnedMesh } from 'three';
import { GLTFLoader, type GLTF } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { MeshoptDecoder } from 'three/examples/jsm/libs/meshopt_decoder.module.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANIMATION_CLIP_NAMES, BUILTIN_AVATARS, MORPH_TARGETS } from './index.ts';

/** Parses a GLB the way the widget will, but in Node: no textures, so no DOM is needed. */
async function loadInThree(file: URL): Promise<GLTF> {
  const bytes = await readFile(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const loader = new GLTFLoader().setMeshoptDecoder(MeshoptDecoder);
  return new Promise((resolve, reject) => loader.parse(buffer, '', resolve, reject));
}

describe.each(BUILTIN_AVATARS.map((avatar) => [avatar.id, avatar] as const))('%s.glb in three.js', (_id, avatar) => {
  let gltf: GLTF;
  beforeAll(async () => {
    gltf = await loadInThree(avatar.file);
  });

  it('loads with all 20 clips, each playable by an AnimationMixer', () => {
    expect(gltf.animations.map((clip) => clip.name)).toEqual([...ANIMATION_CLIP_NAMES]);
    for (const clip of gltf.animations) {
      const mixer = new AnimationMixer(gltf.scene);
      const action = mixer.clipAction(clip).play();
      mixer.update(0.5);
      expect(action.isRunning() || clip.duration <= 0.5, clip.name).toBe(true);
      expect(clip.duration, clip.name).toBeGreaterThan(0);
      mixer.stopAllAction();
      mixer.uncacheRoot(gltf.scene);
    }
  });

  it('has a skinned head mesh whose morph target dictionary names every face morph', () => {
    const skinned: SkinnedMesh[] = [];
    gltf.scene.traverse((object) => {
      if ((object as SkinnedMesh).isSkinnedMesh) skinned.push(object as SkinnedMesh);
    });
    const withMorphs = skinned.filter((mesh) => mesh.morphTargetDictionary);
    expect(withMorphs.length).toBeGreaterThan(0);
    for (const mesh of withMorphs) {
      expect(Object.keys(mesh.morphTargetDictionary ?? {})).toEqual(expect.arrayContaining([...MORPH_TARGETS]));
      expect(mesh.skeleton.bones.length).toBeGreaterThanOrEqual(10);
    }
  });

  it('really moves bones when talking: arm and head rotations change within a quarter second', () => {
    const talk = gltf.animations.find((clip) => clip.name === 'talk');
    if (!talk) throw new Error('no talk clip');
    const mixer = new AnimationMixer(gltf.scene);
    mixer.clipAction(talk).play();
    mixer.update(0);
    const bones = ['head', 'leftUpperArm', 'rightLowerArm'].map((name) => gltf.scene.getObjectByName(name));
    const before = bones.map((bone) => (bone ? bone.quaternion.clone() : new Quaternion()));
    mixer.update(0.25);
    bones.forEach((bone, i) => {
      expect(bone, 'bone present').toBeDefined();
      // angleTo is in radians; one degree is far above quantisation noise.
      expect(bone?.quaternion.angleTo(before[i] as Quaternion)).toBeGreaterThan(Math.PI / 180);
    });
    mixer.stopAllAction();
  });
});

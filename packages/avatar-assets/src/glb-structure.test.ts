import { readFile } from 'node:fs/promises';
import type { Document } from '@gltf-transform/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIO } from './build/write-glb.ts';
import {
  ANIMATION_CLIP_NAMES,
  BUILTIN_AVATARS,
  LOOPING_CLIP_NAMES,
  MORPH_TARGETS,
  SKELETON_BONES,
} from './index.ts';

const MAX_BYTES = 1024 * 1024;

describe.each(BUILTIN_AVATARS.map((avatar) => [avatar.id, avatar] as const))('%s.glb', (_id, avatar) => {
  let bytes: Uint8Array;
  let doc: Document;
  beforeAll(async () => {
    bytes = new Uint8Array(await readFile(avatar.file));
    doc = await (await createIO()).readBinary(bytes);
  });

  it('is a glTF 2.0 binary of at most 1 MB', () => {
    expect(doc.getRoot().getAsset().version).toBe('2.0');
    expect(bytes.byteLength).toBeLessThanOrEqual(MAX_BYTES);
  });

  it('has one skin whose joints include every standard bone and the character’s accessory bones', () => {
    const skins = doc.getRoot().listSkins();
    expect(skins).toHaveLength(1);
    const jointNames = skins[0]?.listJoints().map((joint) => joint.getName()) ?? [];
    expect(jointNames.length).toBeGreaterThanOrEqual(10);
    expect(jointNames).toEqual(expect.arrayContaining([...SKELETON_BONES, ...avatar.accessoryBones]));
    for (const node of doc.getRoot().listNodes().filter((n) => n.getMesh())) expect(node.getSkin()).toBe(skins[0]);
  });

  it('has exactly the 20 clip slots, in catalogue order, each moving at least one bone for a positive duration', () => {
    const animations = doc.getRoot().listAnimations();
    expect(animations.map((a) => a.getName())).toEqual([...ANIMATION_CLIP_NAMES]);
    for (const animation of animations) {
      expect(animation.listChannels().length, animation.getName()).toBeGreaterThanOrEqual(1);
      const duration = Math.max(...animation.listSamplers().map((s) => s.getInput()?.getMax([0])[0] ?? 0));
      expect(duration, animation.getName()).toBeGreaterThan(0);
    }
  });

  it('has looping clips whose last pose equals their first, so loops never hitch', () => {
    for (const animation of doc.getRoot().listAnimations()) {
      if (!LOOPING_CLIP_NAMES.includes(animation.getName() as (typeof LOOPING_CLIP_NAMES)[number])) continue;
      for (const sampler of animation.listSamplers()) {
        const output = sampler.getOutput();
        if (!output) throw new Error('sampler without output');
        const first: number[] = output.getElement(0, []);
        const last: number[] = output.getElement(output.getCount() - 1, []);
        first.forEach((value, i) => expect(Math.abs(value - (last[i] ?? NaN)), animation.getName()).toBeLessThan(2e-3));
      }
    }
  });

  it('has a head mesh with every morph target, named', () => {
    const withTargets = doc
      .getRoot()
      .listMeshes()
      .flatMap((mesh) => mesh.listPrimitives())
      .filter((primitive) => primitive.listTargets().length > 0);
    expect(withTargets.length).toBeGreaterThan(0);
    for (const primitive of withTargets) {
      expect(primitive.listTargets().map((target) => target.getName())).toEqual([...MORPH_TARGETS]);
    }
  });

  it('weights every vertex to one to four joints with weights summing to one', () => {
    const jointCount = doc.getRoot().listSkins()[0]?.listJoints().length ?? 0;
    for (const primitive of doc.getRoot().listMeshes().flatMap((mesh) => mesh.listPrimitives())) {
      const weights = primitive.getAttribute('WEIGHTS_0');
      const joints = primitive.getAttribute('JOINTS_0');
      if (!weights || !joints) throw new Error('primitive without skin attributes');
      const w: number[] = [];
      const j: number[] = [];
      for (let i = 0; i < weights.getCount(); i++) {
        // getElement denormalises, so quantised (normalised integer) weights read as fractions.
        weights.getElement(i, w);
        joints.getElement(i, j);
        const sum = w.reduce((a, b) => a + b, 0);
        if (Math.abs(sum - 1) > 0.01) throw new Error(`vertex ${i} weights sum to ${sum}`);
        if (w.filter((x) => x > 0).length < 1) throw new Error(`vertex ${i} has no influence`);
        for (const index of j) if (index >= jointCount) throw new Error(`vertex ${i} names joint ${index}`);
      }
    }
  });
});

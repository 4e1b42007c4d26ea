import { readFile } from 'node:fs/promises';
import { ANIMATION_SLOTS } from '@mascot/avatar-core';
import { BUILTIN_AVATARS } from '@mascot/avatar-assets';
import type { Object3D, Quaternion } from 'three';
import { describe, expect, it } from 'vitest';
import { AvatarRig } from './avatar-rig.ts';
import { EXPRESSION_WEIGHTS } from './expressions.ts';
import { parseAvatarModel, type AvatarModel } from './load-avatar.ts';

// The built-in models map every slot to the clip of the same name, as the server's suggestion does.
const IDENTITY_MAP = ANIMATION_SLOTS.map((slot) => ({ slot, clip: slot }));
const FRAME_MS = 16;

async function loadMilo(): Promise<AvatarModel> {
  const milo = BUILTIN_AVATARS.find((avatar) => avatar.id === 'milo')!;
  const bytes = await readFile(milo.file);
  return parseAvatarModel(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function run(rig: AvatarRig, ms: number, each?: () => void): void {
  for (let t = 0; t < ms; t += FRAME_MS) {
    rig.update(FRAME_MS);
    each?.();
  }
}

const rotations = (root: Object3D, names: string[]) => names.map((name) => root.getObjectByName(name)!.quaternion.clone());
const maxAngle = (a: Quaternion[], b: Quaternion[]) => Math.max(...a.map((q, i) => q.angleTo(b[i]!)));
const BONES = ['head', 'leftUpperArm', 'rightUpperArm', 'rightLowerArm', 'spine'];

describe('AvatarRig on the built-in Milo', () => {
  it('plays the idle loop, a cued gesture once, then the idle again', async () => {
    const rig = new AvatarRig(await loadMilo(), { animationMap: IDENTITY_MAP, random: () => 0.5 });
    expect(rig.clip).toBe('idle');
    const start = rotations(rig.model.scene, BONES);
    run(rig, 500);
    expect(maxAngle(start, rotations(rig.model.scene, BONES))).toBeGreaterThan(Math.PI / 360);

    rig.cue('greet_wave');
    rig.update(FRAME_MS);
    expect(rig.clip).toBe('greet_wave');
    run(rig, 3_000);
    expect(rig.clip).toBe('idle');
    expect(rig.slot).toBe('idle');
  });

  it('talks with moving lips while a reply streams, then stops talking', async () => {
    const rig = new AvatarRig(await loadMilo(), { animationMap: IDENTITY_MAP, random: () => 0.5 });
    const mouth: number[] = [];
    rig.speak('m1', 'Our Pro plan costs ');
    rig.speak('m1', 'twenty-nine dollars per month, billed yearly.');
    rig.endSpeech('m1');
    rig.update(FRAME_MS);
    expect(rig.talking).toBe(true);
    expect(rig.clip).toBe('talk');
    run(rig, 10_000, () => mouth.push(rig.face.get('mouthOpen')));
    expect(Math.max(...mouth)).toBeGreaterThan(0.4);
    expect(Math.min(...mouth)).toBeLessThan(0.1);
    expect(rig.talking).toBe(false);
    expect(rig.clip).toBe('idle');
  });

  it('blinks both eyes now and then', async () => {
    const rig = new AvatarRig(await loadMilo(), { animationMap: IDENTITY_MAP, random: () => 0.3 });
    const lids: number[] = [];
    run(rig, 8_000, () => lids.push(Math.min(rig.face.get('blinkLeft'), rig.face.get('blinkRight'))));
    expect(Math.max(...lids)).toBeGreaterThan(0.8);
    expect(lids.filter((w) => w === 0).length).toBeGreaterThan(lids.length * 0.8);
  });

  it('eases the face into the expression of a cue', async () => {
    const rig = new AvatarRig(await loadMilo(), { animationMap: IDENTITY_MAP });
    rig.cue('sad');
    run(rig, 1_000);
    expect(rig.face.get('mouthFrown')).toBeCloseTo(EXPRESSION_WEIGHTS.sad.mouthFrown, 2);
    expect(rig.clip).toBe('sad');
  });

  it('with reduced motion holds a still pose and shows cues only through the face', async () => {
    const rig = new AvatarRig(await loadMilo(), { animationMap: IDENTITY_MAP, reducedMotion: true });
    const still = rotations(rig.model.scene, BONES);
    expect(rig.update(FRAME_MS)).toBe(false);
    rig.cue('happy');
    expect(rig.update(FRAME_MS)).toBe(true);
    expect(rig.face.get('mouthSmile')).toBeCloseTo(EXPRESSION_WEIGHTS.happy.mouthSmile, 5);
    rig.speak('m1', 'Hello there, this is a fairly long sentence to say.');
    rig.endSpeech('m1');
    const mouth: number[] = [];
    run(rig, 3_000, () => mouth.push(rig.face.get('mouthOpen')));
    expect(new Set(mouth.slice(1, 100)).size).toBe(1); // the lips do not move
    rig.cue('greet_wave');
    run(rig, 3_000);
    expect(maxAngle(still, rotations(rig.model.scene, BONES))).toBeLessThan(1e-6);
    expect(rig.face.get('blinkLeft')).toBe(0);
  });

  it('starts moving again when reduced motion is switched off', async () => {
    const rig = new AvatarRig(await loadMilo(), { animationMap: IDENTITY_MAP, reducedMotion: true });
    const still = rotations(rig.model.scene, BONES);
    rig.setReducedMotion(false);
    run(rig, 800);
    expect(maxAngle(still, rotations(rig.model.scene, BONES))).toBeGreaterThan(Math.PI / 360);
  });
});

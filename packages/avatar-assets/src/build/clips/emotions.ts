/**
 * Emotions, told with the body (posture, bounce, ears, antenna, tail) rather than the face: morph
 * targets are left to the runtime's lip sync and blinking so clips never fight them. happy and sad
 * are moods a player holds, so they loop; the others are reactions that start and end in the bind pose.
 */
import type { ClipSpec } from './pose.ts';
import { envelope, hops, wave } from './pose.ts';

export const happy: ClipSpec = {
  name: 'happy',
  duration: 2,
  pose: (t, p) => {
    // A held mood (avatar-core plays happy as a state), so it loops: a hop a second, arms out and
    // pumping, head swaying. Every term repeats with a period dividing 2 s.
    const hop = Math.abs(Math.sin(Math.PI * t));
    p.move('hips', [0, 0.025 * hop, 0]);
    p.both('UpperLeg', -6 * hop, 0, 0);
    p.both('LowerLeg', 12 * hop, 0, 0);
    p.both('UpperArm', -15, 0, 38 + 10 * wave(t, 1, 0.1));
    p.both('LowerArm', -35 - 10 * wave(t, 1, 0.2), 0, 10);
    p.rot('head', -5, 0, 9 * wave(t, 2));
    p.rot('chest', -4, 0, -4 * wave(t, 2));
    p.rot('antenna', -6 * hop, 0, 10 * wave(t, 1, 0.3));
    p.rot('antennaTip', 0, 0, 14 * wave(t, 1, 0.5));
    p.both('Ear', 10, 0, 6 * hop);
    p.rot('tail', 0, 35 * wave(t, 0.5), 0);
    p.rot('tailMid', 0, 20 * wave(t, 0.5, 0.2), 0);
  },
};

export const laugh: ClipSpec = {
  name: 'laugh',
  duration: 2.2,
  pose: (t, p) => {
    // Leans back holding its belly, shaking with quick chuckles.
    const e = envelope(t, 0, 0.35, 1.6, 2.2);
    const chuckle = wave(t, 1 / 6) * e;
    p.rot('spine', -4 * e, 0, 0);
    p.rot('chest', -10 * e + 3 * chuckle, 0, 0);
    p.rot('head', -14 * e + 4 * chuckle, 0, 6 * wave(t, 1.1) * e);
    p.both('UpperArm', -28 * e, 0, -8 * e);
    p.both('LowerArm', -75 * e, 20 * e, 0);
    p.move('hips', [0, 0.006 * chuckle, 0]);
    p.rot('antenna', -10 * e, 0, 10 * chuckle);
    p.both('Ear', -8 * e, 0, 5 * chuckle);
    p.rot('tail', 0, 25 * wave(t, 0.35) * e, 0);
  },
};

export const sad: ClipSpec = {
  name: 'sad',
  duration: 4,
  pose: (t, p) => {
    // A held mood too: head and shoulders down, ears and antenna drooping, one slow sigh per loop.
    const sigh = 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / 4);
    p.rot('head', 22 - 4 * sigh, 3 * wave(t, 4, 0.25), 5);
    p.rot('neck', 6, 0, 0);
    p.rot('chest', 10 - 5 * sigh, 0, 0);
    p.rot('spine', 4, 0, 0);
    p.both('UpperArm', -4, 0, -14 + 2 * sigh);
    p.both('LowerArm', -8, 0, 0);
    p.move('hips', [0, -0.01 + 0.006 * sigh, 0]);
    p.rot('antenna', 38 - 8 * sigh, 0, 3 * wave(t, 4));
    p.rot('antennaTip', 25, 0, 0);
    p.both('Ear', -28 + 4 * sigh, 0, -38);
    p.rot('tail', -30, 4 * wave(t, 4), 0);
    p.rot('tailMid', -15, 0, 0);
  },
};

export const surprised: ClipSpec = {
  name: 'surprised',
  duration: 1.6,
  pose: (t, p) => {
    // A start: jumps back a little with hands up, then settles.
    const e = envelope(t, 0, 0.12, 0.95, 1.55);
    const jolt = hops(t, 0, 0.3, 1);
    const ring = Math.exp(-4 * t) * wave(t, 0.2);
    p.move('hips', [0, 0.03 * jolt, -0.015 * e]);
    p.rot('spine', -4 * e, 0, 0);
    p.rot('chest', -10 * e, 0, 0);
    p.rot('head', -8 * e, 0, 0);
    p.both('UpperArm', -25 * e, 0, 50 * e);
    p.both('LowerArm', -70 * e, 0, 20 * e);
    p.both('Hand', 0, 0, 20 * e);
    p.rot('antenna', -6 * e, 0, 16 * ring);
    p.rot('antennaTip', 0, 0, 22 * ring);
    p.both('Ear', 14 * e, 0, 12 * e);
    p.rot('tail', 25 * e, 0, 0);
  },
};

export const confused: ClipSpec = {
  name: 'confused',
  duration: 2.4,
  pose: (t, p) => {
    // Head tilted, scratching the top of its head with the right hand.
    const e = envelope(t, 0.05, 0.5, 1.8, 2.35);
    const scratch = envelope(t, 0.5, 0.6, 1.5, 1.7) * wave(t, 0.25);
    p.rot('head', -3 * e, 10 * e, 16 * e);
    p.rot('neck', 0, 0, 4 * e);
    p.rot('chest', 0, 0, -4 * e);
    p.limb('right', 'UpperArm', -20 * e, 0, 135 * e);
    // Past vertical, +z keeps turning the forearm over the top towards the head.
    p.limb('right', 'LowerArm', 0, 0, (100 + 10 * scratch) * e);
    p.limb('right', 'Hand', 0, 0, -20 * e);
    p.limb('left', 'UpperArm', -10 * e, 0, 10 * e);
    p.limb('left', 'LowerArm', -30 * e, 0, 0);
    p.rot('antenna', 0, 0, -22 * e);
    p.rot('antennaTip', 0, 0, 30 * e);
    p.limb('left', 'Ear', -10 * e, 0, -20 * e);
    p.limb('right', 'Ear', 10 * e, 0, 8 * e);
  },
};

export const celebrate: ClipSpec = {
  name: 'celebrate',
  duration: 2.6,
  pose: (t, p) => {
    // Both arms up in a V, pumping, with three jumps and a twist.
    const e = envelope(t, 0, 0.3, 2.0, 2.55);
    const jump = hops(t, 0.3, 0.5, 3);
    const pump = wave(t, 0.5) * e;
    p.move('hips', [0, 0.08 * jump, 0]);
    p.both('UpperLeg', -15 * jump, 0, 4 * jump);
    p.both('LowerLeg', 28 * jump, 0, 0);
    // A V, not straight up: straight up would hide the hands behind the head.
    p.both('UpperArm', -10 * e, 0, (118 + 8 * pump) * e);
    p.both('LowerArm', 0, 0, (-25 + 15 * pump) * e);
    p.rot('chest', -6 * e, 12 * wave(t, 1), 0);
    p.rot('head', -12 * e, -6 * wave(t, 1), 0);
    p.rot('antenna', -10 * jump, 0, 15 * pump);
    p.rot('antennaTip', 0, 0, 25 * pump);
    p.both('Ear', 12 * e, 0, 10 * jump);
    p.rot('tail', 15 * e, 35 * wave(t, 0.25) * e, 0);
  },
};

export const EMOTION_CLIPS: readonly ClipSpec[] = [happy, laugh, sad, surprised, confused, celebrate];

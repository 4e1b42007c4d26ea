/**
 * One-shot gestures. Each starts and ends in the bind pose (every value eases in from zero and
 * back), so a runtime can crossfade into and out of them from any looping clip.
 */
import type { ClipSpec } from './pose.ts';
import { envelope, keys, wave } from './pose.ts';

export const greetWave: ClipSpec = {
  name: 'greet_wave',
  duration: 2.4,
  pose: (t, p) => {
    // Right arm up and out, forearm waving from the elbow three times, head tilted warmly.
    const up = envelope(t, 0, 0.4, 1.9, 2.4);
    const waving = envelope(t, 0.35, 0.5, 1.6, 1.85) * wave(t - 0.4, 0.4);
    p.limb('right', 'UpperArm', -15 * up, 0, 135 * up);
    p.limb('right', 'LowerArm', 0, 0, (15 + 28 * waving) * up);
    p.limb('right', 'Hand', 0, 0, 12 * waving);
    p.limb('left', 'UpperArm', 0, 0, -6 * up);
    p.rot('chest', 0, -6 * up, 5 * up);
    p.rot('head', -4 * up, -8 * up, -8 * up);
    p.move('hips', [0, 0.01 * envelope(t, 0.1, 0.4, 0.5, 0.9), 0]);
    p.rot('antenna', 0, 0, 10 * waving);
    p.limb('right', 'Ear', 8 * up, 0, 0);
    p.rot('tail', 0, 20 * wave(t, 0.6) * up, 0);
  },
};

export const goodbyeWave: ClipSpec = {
  name: 'goodbye_wave',
  duration: 2.8,
  pose: (t, p) => {
    // A slower wave with the hand at head height, palm swinging, and a small bow to finish.
    const up = envelope(t, 0, 0.45, 1.8, 2.3);
    const waving = envelope(t, 0.4, 0.6, 1.6, 1.8) * wave(t - 0.45, 0.55);
    const bow = envelope(t, 1.8, 2.15, 2.35, 2.8);
    p.limb('right', 'UpperArm', -55 * up, 0, 70 * up);
    p.limb('right', 'LowerArm', -70 * up, 0, 0);
    p.limb('right', 'Hand', 0, 0, 35 * waving);
    p.rot('chest', 10 * bow, -5 * up, 3 * up);
    p.rot('neck', 5 * bow, 0, 0);
    p.rot('head', 12 * bow - 3 * up, -6 * up, -6 * up);
    p.both('UpperArm', -8 * bow, 0, -5 * bow);
    p.rot('antenna', 12 * bow, 0, 8 * waving);
    p.both('Ear', -10 * bow, 0, 0);
    p.rot('tail', 0, 14 * wave(t, 0.7) * up, 0);
  },
};

export const nod: ClipSpec = {
  name: 'nod',
  duration: 1.2,
  pose: (t, p) => {
    const down = keys(t, [[0, 0], [0.18, 15], [0.38, -2], [0.58, 11], [0.8, -1], [1.05, 0]]);
    p.rot('head', down, 0, 0);
    p.rot('neck', 0.35 * down, 0, 0);
    p.rot('chest', 0.1 * down, 0, 0);
    p.rot('antenna', 0.6 * down, 0, 0);
    p.both('Ear', -0.4 * down, 0, 0);
  },
};

export const shakeHead: ClipSpec = {
  name: 'shake_head',
  duration: 1.4,
  pose: (t, p) => {
    const turn = keys(t, [[0, 0], [0.2, 20], [0.45, -20], [0.7, 16], [0.95, -10], [1.2, 0]]);
    p.rot('head', 3 * envelope(t, 0, 0.2, 1, 1.3), turn, 0);
    p.rot('neck', 0, 0.3 * turn, 0);
    p.rot('chest', 0, -0.08 * turn, 0);
    p.rot('antenna', 0, 0, -0.5 * turn);
    p.rot('antennaTip', 0, 0, -0.4 * turn);
  },
};

export const shrug: ClipSpec = {
  name: 'shrug',
  duration: 1.8,
  pose: (t, p) => {
    // Arms out with open palms, head cocked, a little rise of the whole body.
    const s = envelope(t, 0.05, 0.45, 1.15, 1.7);
    p.both('UpperArm', -10 * s, 0, 28 * s);
    p.both('LowerArm', -70 * s, 35 * s, 0);
    p.both('Hand', 0, 0, 25 * s);
    p.rot('chest', -3 * s, 0, 0);
    p.rot('head', -4 * s, 0, 12 * s);
    p.move('hips', [0, 0.012 * s, 0]);
    p.rot('antenna', 0, 0, 15 * s);
    p.limb('left', 'Ear', 0, 0, -15 * s);
    p.limb('right', 'Ear', 0, 0, 10 * s);
  },
};

export const point: ClipSpec = {
  name: 'point',
  duration: 2,
  pose: (t, p) => {
    // Points forward and to its right (the viewer's left), where page content usually sits, and looks there.
    const reach = envelope(t, 0.05, 0.4, 1.45, 1.95);
    const jab = envelope(t, 0.35, 0.5, 0.55, 0.75);
    p.limb('right', 'UpperArm', -80 * reach, 0, 18 * reach);
    p.limb('right', 'LowerArm', (-8 + 6 * jab) * reach, 0, 0);
    p.limb('right', 'Hand', -10 * reach, 0, 0);
    p.rot('chest', 0, -12 * reach, 0);
    p.rot('head', 4 * reach, -18 * reach, 0);
    p.limb('left', 'UpperArm', 0, 0, -5 * reach);
    p.rot('antenna', 0, 0, 12 * reach);
    p.limb('right', 'Ear', 12 * reach, 0, 0);
  },
};

export const bow: ClipSpec = {
  name: 'bow',
  duration: 2.2,
  pose: (t, p) => {
    // Bends at spine and chest, not hips, so the feet stay planted; arms counter-rotate to hang straight.
    const b = envelope(t, 0.1, 0.75, 1.3, 2.05);
    p.rot('spine', 12 * b, 0, 0);
    p.rot('chest', 16 * b, 0, 0);
    p.rot('neck', 4 * b, 0, 0);
    p.rot('head', 8 * b, 0, 0);
    // Pitching the torso forward swings hanging arms backwards; undo that so they hang straight down.
    p.both('UpperArm', -26 * b, 0, -10 * b);
    p.move('hips', [0, -0.01 * b, -0.03 * b]);
    p.rot('antenna', 20 * b, 0, 0);
    p.both('Ear', -12 * b, 0, 0);
  },
};

export const thumbsUp: ClipSpec = {
  name: 'thumbs_up',
  duration: 1.8,
  pose: (t, p) => {
    // The thumb points forward in the bind pose; bending the elbow 90° forward turns it up.
    const u = envelope(t, 0.05, 0.4, 1.3, 1.75);
    const pump = envelope(t, 0.4, 0.55, 0.6, 0.8);
    p.limb('right', 'UpperArm', -32 * u, 0, 12 * u);
    p.limb('right', 'LowerArm', (-85 - 8 * pump) * u, 0, 0);
    p.limb('right', 'Hand', 0, 0, -8 * u);
    p.rot('chest', 0, -6 * u, 3 * u);
    p.rot('head', 4 * u, -6 * u, -7 * u);
    p.move('hips', [0, 0.012 * pump, 0]);
    p.rot('antenna', 0, 0, 10 * u);
    p.rot('tail', 0, 20 * wave(t, 0.45) * u, 0);
  },
};

export const GESTURE_CLIPS: readonly ClipSpec[] = [greetWave, goodbyeWave, nod, shakeHead, shrug, point, bow, thumbsUp];

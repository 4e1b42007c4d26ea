/**
 * The looping clips: the avatar's resting states between replies and while it speaks. Every
 * oscillation has a whole number of periods per clip and every offset is constant, so the last
 * frame equals the first and the loop never hitches.
 */
import type { ClipSpec, PoseWriter } from './pose.ts';
import { keys, wave } from './pose.ts';

/** Secondary motion shared by calm clips: antenna bob, ear flicks, tail sway. */
function accessoriesCalm(p: PoseWriter, t: number, period: number): void {
  p.rot('antenna', 2 * wave(t, period / 2), 0, 5 * wave(t, period / 2, 0.2));
  p.rot('antennaTip', 0, 0, 7 * wave(t, period / 2, 0.45));
  p.limb('left', 'Ear', 3 * wave(t, period, 0.1), 0, 3 * wave(t, period / 2));
  p.limb('right', 'Ear', 3 * wave(t, period, 0.6), 0, 3 * wave(t, period / 2, 0.3));
  p.rot('tail', 0, 12 * wave(t, period), 0);
  p.rot('tailMid', 0, 10 * wave(t, period, 0.15), 0);
  p.rot('tailTip', 0, 12 * wave(t, period, 0.3), 0);
}

export const idle: ClipSpec = {
  name: 'idle',
  duration: 4,
  pose: (t, p) => {
    // Breathing: chest rises and the arms drift with it.
    p.rot('spine', 0.8 * wave(t, 4), 0, 0);
    p.rot('chest', -1.5 * wave(t, 4), 0, 0);
    p.move('hips', [0, 0.004 * wave(t, 4, 0.25), 0]);
    p.rot('head', 2 * wave(t, 4, 0.1), 4 * wave(t, 4, 0.25), 2 * wave(t, 4, 0.5));
    p.both('UpperArm', 1.5 * wave(t, 4, 0.3), 0, 2 * wave(t, 4));
    p.both('LowerArm', -6 + 2 * wave(t, 4, 0.4), 0, 0);
    accessoriesCalm(p, t, 4);
  },
};

export const idleAlt: ClipSpec = {
  name: 'idle_alt',
  duration: 6,
  pose: (t, p) => {
    // Looks to its left, then its right, shifting its weight as it turns.
    const look = keys(t, [[0, 0], [0.8, 0], [1.4, 22], [2.6, 22], [3.3, -18], [4.6, -18], [5.3, 0], [6, 0]]);
    p.rot('head', 3 * wave(t, 3), look, -0.15 * look);
    p.rot('neck', 0, 0.3 * look, 0);
    p.rot('chest', -1.2 * wave(t, 3), 0.2 * look, 0);
    p.rot('hips', 0, 0, 2.5 * wave(t, 6));
    p.rot('leftUpperLeg', 0, 0, -2.5 * wave(t, 6));
    p.rot('rightUpperLeg', 0, 0, -2.5 * wave(t, 6));
    p.move('hips', [-0.01 * wave(t, 6), 0.003 * wave(t, 3, 0.25), 0]);
    p.rot('spine', 0, 0, -2 * wave(t, 6));
    p.limb('left', 'UpperArm', 2 * wave(t, 6, 0.2), 0, 3 + 2 * wave(t, 6));
    p.limb('right', 'UpperArm', 2 * wave(t, 6, 0.7), 0, 3 - 2 * wave(t, 6));
    p.both('LowerArm', -8 + 3 * wave(t, 3), 0, 0);
    accessoriesCalm(p, t, 6);
  },
};

export const listen: ClipSpec = {
  name: 'listen',
  duration: 4,
  pose: (t, p) => {
    // Leans in with the head cocked, giving small encouraging nods.
    p.rot('chest', 5 + wave(t, 4), 0, 0);
    p.rot('neck', 3, 0, -3);
    p.rot('head', 4 + 3 * Math.max(0, wave(t, 2)) ** 2, 3 * wave(t, 4), -9 + 2 * wave(t, 4, 0.25));
    p.both('UpperArm', -18, 0, -10 + wave(t, 4));
    p.both('LowerArm', -48 + 2 * wave(t, 4, 0.3), 8, 0);
    p.move('hips', [0, 0.003 * wave(t, 4, 0.25), 0]);
    p.both('Ear', 10, 0, -4 + 3 * wave(t, 2));
    p.rot('antenna', 8, 0, 4 * wave(t, 2));
    p.rot('tail', 0, 8 * wave(t, 4), 0);
    p.rot('tailTip', 0, 10 * wave(t, 4, 0.2), 0);
  },
};

export const think: ClipSpec = {
  name: 'think',
  duration: 4,
  pose: (t, p) => {
    // Hand to chin, eyes up and away, tapping in thought.
    p.rot('head', -9 + 2 * wave(t, 4), 7 * wave(t, 4, 0.25), 8);
    p.rot('neck', -3, 0, 2);
    p.rot('chest', 2, -4, 0);
    p.limb('right', 'UpperArm', -45, 0, -20);
    p.limb('right', 'LowerArm', -112 + 5 * Math.max(0, wave(t, 1)), 20, 0);
    p.limb('right', 'Hand', 12, 0, 0);
    p.limb('left', 'UpperArm', -22, 0, -18);
    p.limb('left', 'LowerArm', -62, 25, 0);
    p.move('hips', [0, 0.003 * wave(t, 4, 0.25), 0]);
    p.both('Ear', 0, 0, 6 * wave(t, 4));
    p.rot('antenna', -6, 0, 10 * wave(t, 2));
    p.rot('antennaTip', 0, 0, 14 * wave(t, 2, 0.2));
    p.rot('tail', 0, 15 * wave(t, 4), 0);
    p.rot('tailMid', 0, 10 * wave(t, 4, 0.2), 0);
  },
};

export const talk: ClipSpec = {
  name: 'talk',
  duration: 2,
  pose: (t, p) => {
    // Beat gestures: the hands alternate small open-palm movements, the head nods on the beats.
    p.rot('head', 3 * wave(t, 1), 5 * wave(t, 2, 0.25), 2 * wave(t, 2));
    p.rot('chest', 1.5 * wave(t, 1, 0.25), 4 * wave(t, 2), 0);
    p.limb('left', 'UpperArm', -14 - 8 * wave(t, 2), 0, 10 + 4 * wave(t, 1));
    p.limb('left', 'LowerArm', -45 - 15 * wave(t, 1, 0.1), 15, 0);
    p.limb('left', 'Hand', 0, 0, 10 * wave(t, 1, 0.2));
    p.limb('right', 'UpperArm', -14 - 8 * wave(t, 2, 0.5), 0, 10 + 4 * wave(t, 1, 0.5));
    p.limb('right', 'LowerArm', -45 - 15 * wave(t, 1, 0.6), 15, 0);
    p.limb('right', 'Hand', 0, 0, 10 * wave(t, 1, 0.7));
    p.move('hips', [0, 0.004 * wave(t, 1), 0]);
    p.rot('antenna', 4 * wave(t, 1, 0.3), 0, 5 * wave(t, 2));
    p.both('Ear', 4 * wave(t, 1), 0, 0);
    p.rot('tail', 0, 12 * wave(t, 2), 0);
  },
};

export const talkExcited: ClipSpec = {
  name: 'talk_excited',
  duration: 1.6,
  pose: (t, p) => {
    // Bouncy and wide: arms thrown open on the beats, a little hop in every beat.
    const bounce = 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / 0.8);
    p.move('hips', [0, 0.015 * bounce, 0]);
    p.rot('head', -3 + 5 * wave(t, 0.8), 8 * wave(t, 1.6, 0.25), 5 * wave(t, 1.6));
    p.rot('chest', -3 + 2 * wave(t, 0.8, 0.25), 8 * wave(t, 1.6), 0);
    p.both('UpperArm', -25 - 10 * wave(t, 0.8), 0, 32 + 14 * wave(t, 0.8, 0.1));
    p.limb('left', 'LowerArm', -60 - 25 * wave(t, 0.8, 0.15), 20, 0);
    p.limb('right', 'LowerArm', -60 - 25 * wave(t, 0.8, 0.4), 20, 0);
    p.both('Hand', 0, 0, 15 * wave(t, 0.8, 0.3));
    p.both('UpperLeg', -4 * bounce, 0, 0);
    p.both('LowerLeg', 8 * bounce, 0, 0);
    p.rot('antenna', 10 * wave(t, 0.8, 0.3), 0, 10 * wave(t, 1.6));
    p.rot('antennaTip', 0, 0, 18 * wave(t, 0.8, 0.5));
    p.both('Ear', 8 * wave(t, 0.8), 0, 6 * wave(t, 0.8, 0.25));
    p.rot('tail', 0, 30 * wave(t, 0.4), 0);
    p.rot('tailMid', 0, 20 * wave(t, 0.4, 0.2), 0);
  },
};

export const LOOP_CLIPS: readonly ClipSpec[] = [idle, idleAlt, listen, think, talk, talkExcited];

/**
 * How clips are written: a clip is a function of time that writes a pose, sampled into keyframes
 * later (see sample-clip.ts). Angles are degrees in each bone's parent-aligned frame:
 *   x > 0 pitches forward/down (nod, bow; swings a hanging arm backwards),
 *   y > 0 turns towards the character's left,
 *   z > 0 rolls towards the character's right.
 * limb() takes angles as for the LEFT side and mirrors them for the right, so "+z raises the arm
 * out sideways" holds for both arms.
 */
import type { AnimationClipName, BoneName } from '../../catalogue.ts';
import { clamp, smoothstep, type Vec3 } from '../vec.ts';

export type Side = 'left' | 'right';
export type LimbPart = 'UpperArm' | 'LowerArm' | 'Hand' | 'UpperLeg' | 'LowerLeg' | 'Foot' | 'Ear';

export interface PoseWriter {
  /** Adds a rotation (degrees, XYZ order) to a bone; bones a rig lacks are ignored. */
  rot(bone: BoneName, x: number, y: number, z: number): void;
  /** Adds an offset (metres) to a bone's rest position; used for the hips (bounce, hop, sway). */
  move(bone: BoneName, offset: Vec3): void;
  /** Rotation for a left/right bone, written as for the left side. */
  limb(side: Side, part: LimbPart, x: number, y: number, z: number): void;
  /** The same limb rotation on both sides (mirrored). */
  both(part: LimbPart, x: number, y: number, z: number): void;
}

export interface ClipSpec {
  name: AnimationClipName;
  /** Seconds. Looping clips must return the same pose at 0 and at duration. */
  duration: number;
  pose: (t: number, p: PoseWriter) => void;
}

const TAU = Math.PI * 2;

/** A sine with the given period in seconds; an integer number of periods per clip keeps loops seamless. */
export const wave = (t: number, period: number, phase = 0): number => Math.sin(TAU * (t / period + phase));

/** Rises from 0 to 1 over [inStart, inEnd], holds, falls back to 0 over [outStart, outEnd]. */
export const envelope = (t: number, inStart: number, inEnd: number, outStart: number, outEnd: number): number =>
  smoothstep(inStart, inEnd, t) * (1 - smoothstep(outStart, outEnd, t));

/**
 * Eases between keyed values: [[time, value], …] sorted by time, flat before the first key and
 * after the last. Each segment eases in and out, which reads as deliberate, cartoon-like timing.
 */
export function keys(t: number, frames: readonly (readonly [number, number])[]): number {
  const first = frames[0];
  if (!first) return 0;
  if (t <= first[0]) return first[1];
  for (let i = 1; i < frames.length; i++) {
    const [t1, v1] = frames[i] as readonly [number, number];
    const [t0, v0] = frames[i - 1] as readonly [number, number];
    if (t <= t1) {
      const f = clamp((t - t0) / (t1 - t0));
      return v0 + (v1 - v0) * f * f * (3 - 2 * f);
    }
  }
  return (frames[frames.length - 1] as readonly [number, number])[1];
}

/** A decaying bounce, for hops and landings: |sin| pulses that fade with each repeat. */
export const hops = (t: number, start: number, period: number, count: number): number => {
  const x = (t - start) / period;
  if (x < 0 || x > count) return 0;
  return Math.abs(Math.sin(Math.PI * x)) * (1 - (0.35 * Math.floor(x)) / count);
};

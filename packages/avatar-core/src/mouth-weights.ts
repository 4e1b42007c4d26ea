// Blend weights for a mouth at a moment of a viseme timeline, for models without the 15 viseme
// morph targets. Four shapes cover what lip-sync needs to read from a distance:
//   mouthOpen    jaw and lips open (ARKit jawOpen; "viseme_aa")
//   mouthSmile   lips spread wide (ARKit mouthSmile / mouthStretch; "ee", "s")
//   mouthRound   lips rounded and pushed forward (ARKit mouthFunnel / mouthPucker; "oo", "w", "sh")
//   mouthClosed  lips pressed together (ARKit mouthClose / mouthPress; "p", "b", "m", and "f", "v" partly)
// A binding maps them onto the model's own morph targets. Models that do have `viseme_*` targets
// can play the timeline's visemes directly instead.
//
// Between two cues the shapes crossfade with a smoothstep over `crossfadeMs` centred on the
// boundary (shortened for short cues, so a cue always reaches its own shape at its midpoint);
// before the first and after the last cue the mouth is at rest. The weights are therefore
// continuous in time.

import type { VisemeCue } from './viseme-timeline.ts';
import type { Viseme } from './viseme-set.ts';

export const MOUTH_SHAPES = ['mouthOpen', 'mouthSmile', 'mouthRound', 'mouthClosed'] as const;
export type MouthShape = (typeof MOUTH_SHAPES)[number];
export type MouthWeights = Record<MouthShape, number>;

const pose = (mouthOpen: number, mouthSmile: number, mouthRound: number, mouthClosed: number): Readonly<MouthWeights> =>
  ({ mouthOpen, mouthSmile, mouthRound, mouthClosed });

/** Each viseme's shape at full weight. */
export const VISEME_POSES: Readonly<Record<Viseme, Readonly<MouthWeights>>> = {
  sil: pose(0, 0, 0, 0),
  PP: pose(0, 0, 0, 1),
  FF: pose(0.1, 0.3, 0, 0.5),
  TH: pose(0.2, 0.2, 0, 0),
  DD: pose(0.25, 0.2, 0, 0),
  kk: pose(0.3, 0.1, 0, 0),
  CH: pose(0.2, 0, 0.6, 0),
  SS: pose(0.1, 0.5, 0, 0),
  nn: pose(0.2, 0.2, 0, 0),
  RR: pose(0.2, 0, 0.5, 0),
  aa: pose(0.9, 0, 0, 0),
  E: pose(0.6, 0.4, 0, 0),
  ih: pose(0.35, 0.6, 0, 0),
  oh: pose(0.65, 0, 0.6, 0),
  ou: pose(0.25, 0, 0.9, 0),
};

export const DEFAULT_CROSSFADE_MS = 80;

export interface MouthWeightsOptions {
  readonly crossfadeMs?: number;
  /** Write into this object instead of allocating one: for render loops. */
  readonly into?: MouthWeights;
}

const REST = VISEME_POSES.sil;
const smoothstep = (x: number): number => x * x * (3 - 2 * x);

// Index of the cue containing t: -1 before the timeline, timeline.length after it.
function cueIndexAt(timeline: readonly VisemeCue[], t: number): number {
  let low = 0;
  let high = timeline.length - 1;
  const first = timeline[0];
  if (first === undefined || t < first.startMs) return -1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((timeline[mid] as VisemeCue).startMs <= t) low = mid;
    else high = mid - 1;
  }
  const cue = timeline[low] as VisemeCue;
  return t < cue.startMs + cue.durationMs ? low : timeline.length;
}

// Helpers at module level: mouthWeightsAt runs every frame and allocates nothing when given `into`.
const durationOf = (timeline: readonly VisemeCue[], i: number): number =>
  timeline[i]?.durationMs ?? Number.POSITIVE_INFINITY; // the rest before and after lasts forever

function blend(timeline: readonly VisemeCue[], a: number, b: number, x: number, out: MouthWeights): MouthWeights {
  const cueA = timeline[a];
  const cueB = timeline[b];
  const poseA = cueA === undefined ? REST : VISEME_POSES[cueA.viseme];
  const poseB = cueB === undefined ? REST : VISEME_POSES[cueB.viseme];
  const weightA = (cueA?.weight ?? 0) * (1 - x);
  const weightB = (cueB?.weight ?? 0) * x;
  for (let s = 0; s < MOUTH_SHAPES.length; s++) {
    const shape = MOUTH_SHAPES[s] as MouthShape;
    out[shape] = poseA[shape] * weightA + poseB[shape] * weightB;
  }
  return out;
}

/** Mouth shape weights at `tMs` of `timeline` (as from textToVisemes), crossfaded between cues. */
export function mouthWeightsAt(timeline: readonly VisemeCue[], tMs: number, options: MouthWeightsOptions = {}): MouthWeights {
  const halfFade = (options.crossfadeMs ?? DEFAULT_CROSSFADE_MS) / 2;
  const out = options.into ?? { mouthOpen: 0, mouthSmile: 0, mouthRound: 0, mouthClosed: 0 };
  const first = timeline[0];
  const last = timeline[timeline.length - 1];
  if (first === undefined || last === undefined) return blend(timeline, -1, -1, 0, out);

  const i = cueIndexAt(timeline, tMs);
  const end = last.startMs + last.durationMs;
  const start = i < 0 ? Number.NEGATIVE_INFINITY : (timeline[i]?.startMs ?? end);
  const stop = i < 0 ? first.startMs : start + durationOf(timeline, i);

  const fadeIn = Math.min(halfFade, durationOf(timeline, i - 1) / 2, durationOf(timeline, i) / 2);
  if (fadeIn > 0 && tMs - start < fadeIn) return blend(timeline, i - 1, i, smoothstep((tMs - start + fadeIn) / (2 * fadeIn)), out);
  const fadeOut = Math.min(halfFade, durationOf(timeline, i) / 2, durationOf(timeline, i + 1) / 2);
  if (fadeOut > 0 && stop - tMs <= fadeOut) return blend(timeline, i, i + 1, smoothstep((tMs - stop + fadeOut) / (2 * fadeOut)), out);
  return blend(timeline, i, i, 0, out);
}

import { describe, expect, it } from 'vitest';
import { MOUTH_SHAPES, type MouthWeights, VISEME_POSES, mouthWeightsAt } from './mouth-weights.ts';
import { VISEMES } from './viseme-set.ts';
import { type VisemeCue, textToVisemes } from './viseme-timeline.ts';

const TIMELINE: VisemeCue[] = [
  { viseme: 'PP', startMs: 100, durationMs: 100, weight: 1 },
  { viseme: 'aa', startMs: 200, durationMs: 200, weight: 1 },
  { viseme: 'ou', startMs: 400, durationMs: 40, weight: 0.5 },
  { viseme: 'sil', startMs: 440, durationMs: 200, weight: 0 },
];
const REST: MouthWeights = { mouthOpen: 0, mouthSmile: 0, mouthRound: 0, mouthClosed: 0 };

describe('mouthWeightsAt', () => {
  it('defines a pose for every viseme, with silence at rest', () => {
    expect(Object.keys(VISEME_POSES).sort()).toEqual([...VISEMES].sort());
    expect(VISEME_POSES.sil).toEqual(REST);
  });

  it('rests before the timeline starts, after it ends and for an empty timeline', () => {
    expect(mouthWeightsAt(TIMELINE, 0)).toEqual(REST);
    expect(mouthWeightsAt(TIMELINE, 10_000)).toEqual(REST);
    expect(mouthWeightsAt([], 50)).toEqual(REST);
  });

  it("reaches a cue's own pose, scaled by its weight, away from its edges", () => {
    expect(mouthWeightsAt(TIMELINE, 150).mouthClosed).toBe(1);
    expect(mouthWeightsAt(TIMELINE, 300)).toEqual(VISEME_POSES.aa);
    expect(mouthWeightsAt(TIMELINE, 420).mouthRound).toBeCloseTo(VISEME_POSES.ou.mouthRound * 0.5, 5);
  });

  it('is halfway between two cues at their boundary', () => {
    const atBoundary = mouthWeightsAt(TIMELINE, 200);
    expect(atBoundary.mouthClosed).toBeCloseTo(0.5, 5);
    expect(atBoundary.mouthOpen).toBeCloseTo(VISEME_POSES.aa.mouthOpen / 2, 5);
  });

  it('changes continuously: no jumps between frames sampled every millisecond', () => {
    const timeline = textToVisemes('Hello there, how much does the Pro plan cost? Bye!');
    const end = (timeline.at(-1)?.startMs ?? 0) + (timeline.at(-1)?.durationMs ?? 0);
    let previous = mouthWeightsAt(timeline, -100);
    for (let t = -99; t <= end + 100; t++) {
      const current = mouthWeightsAt(timeline, t);
      for (const shape of MOUTH_SHAPES) expect(Math.abs(current[shape] - previous[shape])).toBeLessThan(0.08);
      previous = current;
    }
  });

  it('switches abruptly when the crossfade is zero', () => {
    expect(mouthWeightsAt(TIMELINE, 199.9, { crossfadeMs: 0 }).mouthClosed).toBe(1);
    expect(mouthWeightsAt(TIMELINE, 200, { crossfadeMs: 0 }).mouthClosed).toBe(0);
  });

  it('writes into a given object instead of allocating one, for render loops', () => {
    const into = { ...REST };
    expect(mouthWeightsAt(TIMELINE, 300, { into })).toBe(into);
    expect(into.mouthOpen).toBe(VISEME_POSES.aa.mouthOpen);
  });

  it('keeps every weight between 0 and 1', () => {
    for (let t = 0; t < 700; t += 7) {
      const weights = mouthWeightsAt(TIMELINE, t);
      for (const shape of MOUTH_SHAPES) {
        expect(weights[shape]).toBeGreaterThanOrEqual(0);
        expect(weights[shape]).toBeLessThanOrEqual(1);
      }
    }
  });
});

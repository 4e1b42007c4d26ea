import { describe, expect, it } from 'vitest';
import { FRAMES_SAMPLED, SLOW_FIRST_FRAME_MS, SLOW_FRAME_MS, isTooSlow, isWeakDevice, wantsAntialias } from './device-capabilities.ts';

describe('isWeakDevice', () => {
  it('is weak only with two cores or fewer and under 2 GiB together', () => {
    expect(isWeakDevice({ cores: 2, memoryGiB: 1 })).toBe(true);
    expect(isWeakDevice({ cores: 1, memoryGiB: 0.5 })).toBe(true);
    expect(isWeakDevice({ cores: 2, memoryGiB: 2 })).toBe(false);
    expect(isWeakDevice({ cores: 4, memoryGiB: 1 })).toBe(false);
  });

  it('does not guess when the browser hides the figures (Safari, Firefox)', () => {
    expect(isWeakDevice({ cores: 2 })).toBe(false);
    expect(isWeakDevice({})).toBe(false);
  });
});

describe('wantsAntialias', () => {
  it('multisamples on capable devices with ordinary screens only', () => {
    expect(wantsAntialias({ cores: 8, memoryGiB: 8, devicePixelRatio: 1 })).toBe(true);
    expect(wantsAntialias({ cores: 8, memoryGiB: 8, devicePixelRatio: 3 })).toBe(false);
    expect(wantsAntialias({ cores: 2, memoryGiB: 8, devicePixelRatio: 1 })).toBe(false);
    expect(wantsAntialias({ cores: 8, memoryGiB: 2, devicePixelRatio: 1 })).toBe(false);
  });
});

describe('isTooSlow', () => {
  const frames = (first: number, rest: number) => [first, ...Array.from({ length: FRAMES_SAMPLED }, () => rest)];

  it('waits for enough frames before judging', () => {
    expect(isTooSlow([])).toBeUndefined();
    expect(isTooSlow([100, 16, 16])).toBeUndefined();
  });

  it('gives up at once on a first frame slower than the limit', () => {
    expect(isTooSlow([SLOW_FIRST_FRAME_MS + 1])).toBe(true);
  });

  it('judges the median of the following frames, so one hiccup does not decide', () => {
    expect(isTooSlow(frames(800, 16))).toBe(false);
    expect(isTooSlow(frames(800, SLOW_FRAME_MS + 1))).toBe(true);
    expect(isTooSlow([800, 16, 16, 900, 16, 16])).toBe(false);
  });
});

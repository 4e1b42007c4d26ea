import { describe, expect, it } from 'vitest';
import { ANIMATION_SLOTS, isAnimationSlot } from './animation-slots.ts';
import { emptyAnimationMap } from './avatar.ts';

describe('ANIMATION_SLOTS', () => {
  it('lists the 20 slots once each', () => {
    expect(ANIMATION_SLOTS).toHaveLength(20);
    expect(new Set(ANIMATION_SLOTS).size).toBe(20);
  });

  it('recognises slot names and nothing else', () => {
    expect(isAnimationSlot('thumbs_up')).toBe(true);
    expect(isAnimationSlot('thumbsUp')).toBe(false);
    expect(isAnimationSlot(3)).toBe(false);
  });

  it('gives an empty animation map with every slot set to null, in slot order', () => {
    const map = emptyAnimationMap();
    expect(Object.keys(map)).toEqual([...ANIMATION_SLOTS]);
    expect(Object.values(map).every((clip) => clip === null)).toBe(true);
  });
});

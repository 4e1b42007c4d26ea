import { describe, expect, it } from 'vitest';
import { ANIMATION_CATALOGUE, ANIMATION_SLOTS, fallbackChain, isAnimationSlot } from './animation-slots.ts';

describe('ANIMATION_SLOTS', () => {
  it('lists the 20 slots in the order shared with the bot bundle format', () => {
    expect(ANIMATION_SLOTS).toEqual([
      'idle', 'idle_alt', 'listen', 'think', 'talk', 'talk_excited', 'greet_wave', 'goodbye_wave', 'nod',
      'shake_head', 'shrug', 'point', 'bow', 'happy', 'laugh', 'sad', 'surprised', 'confused', 'celebrate',
      'thumbs_up',
    ]);
  });

  it('has one catalogue entry per slot, keyed by its own slot name', () => {
    expect(Object.keys(ANIMATION_CATALOGUE).sort()).toEqual([...ANIMATION_SLOTS].sort());
    for (const slot of ANIMATION_SLOTS) {
      const entry = ANIMATION_CATALOGUE[slot];
      expect(entry.slot).toBe(slot);
      expect(entry.label.length).toBeGreaterThan(0);
      expect(entry.description.length).toBeGreaterThan(0);
    }
  });

  it('recognises slot names and nothing else', () => {
    expect(isAnimationSlot('talk_excited')).toBe(true);
    expect(isAnimationSlot('Talk')).toBe(false);
    expect(isAnimationSlot(3)).toBe(false);
  });
});

describe('fallback chains', () => {
  it.each(ANIMATION_SLOTS)('end at idle without revisiting a slot, starting from %s', (slot) => {
    // Walk the raw catalogue rather than fallbackChain(), whose loop bound would hide a cycle.
    const seen: string[] = [];
    let at: (typeof ANIMATION_SLOTS)[number] | null = slot;
    while (at !== null) {
      expect(seen).not.toContain(at);
      seen.push(at);
      at = ANIMATION_CATALOGUE[at].fallback;
    }
    expect(seen.at(-1)).toBe('idle');
    expect(fallbackChain(slot)).toEqual(seen);
  });

  // suggestSlotMapping's sharing pass walks slots in order and relies on every chain being final.
  it('only falls back to slots listed earlier', () => {
    for (const [index, slot] of ANIMATION_SLOTS.entries()) {
      const { fallback } = ANIMATION_CATALOGUE[slot];
      if (fallback !== null) expect(ANIMATION_SLOTS.indexOf(fallback)).toBeLessThan(index);
    }
  });

  it('gives idle no fallback, since it is where every chain ends', () => {
    expect(ANIMATION_CATALOGUE.idle.fallback).toBeNull();
  });

  it('degrades gracefully: excited talk to talk, laugh to happy, goodbye to the greeting wave', () => {
    expect(fallbackChain('talk_excited')).toEqual(['talk_excited', 'talk', 'idle']);
    expect(fallbackChain('laugh')).toEqual(['laugh', 'happy', 'idle']);
    expect(fallbackChain('goodbye_wave')).toEqual(['goodbye_wave', 'greet_wave', 'idle']);
    expect(fallbackChain('confused')).toEqual(['confused', 'shrug', 'idle']);
  });

  it('keeps idle and speech slots looping and gestures one-shot', () => {
    for (const slot of ANIMATION_SLOTS) {
      const { category, loop } = ANIMATION_CATALOGUE[slot];
      if (category === 'speech') expect(loop).toBe(true);
      if (category === 'gesture') expect(loop).toBe(false);
    }
    expect(ANIMATION_CATALOGUE.idle.loop).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { dropNearDuplicates } from './dedupe-passages.ts';

describe('dropNearDuplicates', () => {
  it('keeps the better-ranked of two near copies and every distinct passage', () => {
    const ranked = [
      { id: 'a', text: 'The Pro plan costs 29 dollars per month and includes unlimited projects.' },
      { id: 'b', text: 'The Pro plan costs 29 dollars per month, and includes unlimited projects!' },
      { id: 'c', text: 'Support is open from 8 am to 8 pm on weekdays.' },
    ];
    expect(dropNearDuplicates(ranked).map((p) => p.id)).toEqual(['a', 'c']);
  });

  it('keeps passages that only share some words', () => {
    const ranked = [
      { id: 'a', text: 'Frames are covered for ten years.' },
      { id: 'b', text: 'Batteries are covered for two years or 500 cycles.' },
    ];
    expect(dropNearDuplicates(ranked)).toHaveLength(2);
  });
});

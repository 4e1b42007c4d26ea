import { describe, expect, it } from 'vitest';
import { splitSentences } from './split-sentences.ts';

describe('splitSentences', () => {
  it('splits prose into trimmed sentences', () => {
    expect(splitSentences('  The Pro plan costs $29.99. Is it worth it? Yes!  ')).toEqual([
      'The Pro plan costs $29.99.',
      'Is it worth it?',
      'Yes!',
    ]);
  });

  it('does not break after common abbreviations', () => {
    expect(splitSentences('Ask Dr. Smith about it. Delivery takes approx. 5 days, e.g. to Berlin.')).toEqual([
      'Ask Dr. Smith about it.',
      'Delivery takes approx. 5 days, e.g. to Berlin.',
    ]);
  });

  it('ends a sentence at every line break', () => {
    expect(splitSentences('Plans\n- Free\n- Pro: $29')).toEqual(['Plans', '- Free', '- Pro: $29']);
  });

  it('returns nothing for blank text', () => {
    expect(splitSentences(' \n ')).toEqual([]);
  });
});

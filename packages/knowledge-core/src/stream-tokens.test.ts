import { describe, expect, it } from 'vitest';
import { splitIntoStreamTokens } from './stream-tokens.ts';

const SAMPLES = [
  '',
  'Hello',
  'Good question! The Pro plan costs $29 per month [1].',
  '  leading and trailing whitespace  ',
  'Line one.\nLine two,\n\n  indented "quote" (here) — done…',
  '价格是每月二十九美元。专业版包括五个吉祥物！',
  'Mixed 中文和English text 🙂 with emoji.',
  '\n\t ',
];

describe('splitIntoStreamTokens', () => {
  it.each(SAMPLES)('joins back to exactly the original text: %j', (text) => {
    expect(splitIntoStreamTokens(text).join('')).toBe(text);
  });

  it('emits one token per word, each carrying the whitespace before it', () => {
    expect(splitIntoStreamTokens('Good question! The Pro plan costs $29 [1].')).toEqual([
      'Good', ' question!', ' The', ' Pro', ' plan', ' costs', ' $29', ' [1].',
    ]);
  });

  it('never emits empty tokens', () => {
    for (const text of SAMPLES) expect(splitIntoStreamTokens(text).every((token) => token !== '')).toBe(true);
  });

  it('splits text without spaces into words instead of one long token', () => {
    const tokens = splitIntoStreamTokens('价格是每月二十九美元。专业版包括五个吉祥物！');
    expect(tokens.length).toBeGreaterThan(5);
    expect(tokens.every((token) => token.length <= 6)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { countTokens } from './count-tokens.ts';

describe('countTokens', () => {
  it('counts words and punctuation marks as pieces', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('Hello, world!')).toBe(4);
    expect(countTokens('It costs $29.99/month.')).toBe(9);
  });

  it('counts long words as several pieces', () => {
    expect(countTokens('internationalization')).toBe(3);
    expect(countTokens('x'.repeat(80))).toBe(10);
  });

  it('counts every character of scripts written without spaces', () => {
    expect(countTokens('价格是多少')).toBe(5);
    expect(countTokens('Pro版')).toBe(2);
  });

  it('adds up over whitespace', () => {
    const a = 'The Pro plan, billed yearly,';
    const b = 'costs $290 (two months free).';
    expect(countTokens(`${a} \n ${b}`)).toBe(countTokens(a) + countTokens(b));
  });
});

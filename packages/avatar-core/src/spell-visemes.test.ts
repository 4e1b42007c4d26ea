import { describe, expect, it } from 'vitest';
import { spellVisemes } from './spell-visemes.ts';

const visemesOf = (word: string): string => spellVisemes(word).map((unit) => unit.viseme).join(' ');

describe('spellVisemes', () => {
  it.each([
    ['think', 'TH ih nn kk'],
    ['check', 'CH E kk'],
    ['shop', 'CH oh PP'],
    ['phone', 'FF oh ou nn'],
    ['see', 'SS ih'],
    ['food', 'FF ou DD'],
    ['out', 'aa ou DD'],
    ['night', 'nn aa ih DD'],
    ['quick', 'kk ou ih kk'],
    ['know', 'nn oh ou'],
    ['school', 'SS kk ou nn'],
    ['nation', 'nn aa CH aa nn'],
  ])('reads the digraphs and vowel teams of %s as %s', (word, visemes) => {
    expect(visemesOf(word)).toBe(visemes);
  });

  it.each([
    ['make', 'PP E ih kk'],
    ['time', 'DD aa ih PP'],
    ['home', 'oh ou PP'],
    ['use', 'ou SS'],
    ['makes', 'PP E ih kk SS'],
  ])('lengthens the vowel before a silent "magic e" in %s', (word, visemes) => {
    expect(visemesOf(word)).toBe(visemes);
  });

  it('drops a silent final e but voices it in short words like "she"', () => {
    expect(visemesOf('bubble')).toBe('PP aa PP nn');
    expect(visemesOf('she')).toBe('CH ih');
  });

  it('reads r-coloured vowels as r unless a vowel follows', () => {
    expect(visemesOf('her')).toBe('RR');
    expect(visemesOf('very')).toBe('FF E RR ih');
  });

  it('reads soft and hard c and g', () => {
    expect(visemesOf('cycle')).toBe('SS ih kk nn');
    expect(visemesOf('page')).toBe('PP E ih CH');
    expect(visemesOf('get')).toBe('kk E DD');
  });

  it('pronounces a doubled consonant once and merges neighbouring identical shapes', () => {
    expect(visemesOf('coffee')).toBe('kk oh FF ih');
    expect(visemesOf('jump')).toBe('CH aa PP');
  });

  it('looks up frequent irregular words', () => {
    expect(visemesOf('one')).toBe('ou aa nn');
    expect(visemesOf('The')).toBe('TH aa');
    expect(visemesOf('have')).toBe('aa FF');
  });

  it('ignores case, diacritics and apostrophes', () => {
    expect(visemesOf('HELLO')).toBe(visemesOf('hello'));
    expect(visemesOf('café')).toBe(visemesOf('cafe'));
    expect(visemesOf("don't")).toBe(visemesOf('dont'));
    expect(visemesOf('Straße')).toBe(visemesOf('strasse'));
  });

  it('gives letters of other scripts one weaker neutral syllable each', () => {
    const units = spellVisemes('привет');
    expect(units).toHaveLength(6);
    expect(units.every((unit) => ['aa', 'E', 'ih', 'oh', 'ou'].includes(unit.viseme) && unit.weight < 1)).toBe(true);
  });

  it('makes vowels longer than consonants and long vowels longer still', () => {
    const [b, a, t] = spellVisemes('bat');
    expect(a?.length).toBeGreaterThan(b?.length ?? Infinity);
    expect(a?.length).toBeGreaterThan(t?.length ?? Infinity);
    expect(spellVisemes('beet')[1]?.length).toBeGreaterThan(spellVisemes('bet')[1]?.length ?? Infinity);
  });
});

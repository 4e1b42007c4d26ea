// English letter-to-sound rules, good enough for lip-sync: a word's letters become visemes.
// Mouth shapes forgive a lot (b, m, p look the same), so the rules are few: digraphs (th, ch,
// sh, ph, ck, ng, qu, wh), vowel teams (ee, ea, oo, ou, ow, ai, ay, oa, oi, igh…), r-coloured
// vowels, the silent final e and the "magic e" that lengthens the vowel before it ("make"),
// and a small lexicon for frequent words that break them ("one", "have", "the").
// Letters of other scripts get a neutral open-mouth syllable each, weaker so they read as vague.

import type { Viseme, VisemeUnit } from './viseme-set.ts';

const CONSONANT = 1;
const STOP = 0.9; // PP, DD, kk are short releases
const VOWEL = 1.3;
const LONG_VOWEL = 1.7;
const GLIDE = 0.8; // second half of a diphthong, the y/w glide

const STRENGTH: Readonly<Record<Viseme, number>> = {
  sil: 0, PP: 1, FF: 0.9, TH: 0.8, DD: 0.7, kk: 0.7, CH: 0.9, SS: 0.8, nn: 0.7, RR: 0.8,
  aa: 1, E: 0.9, ih: 0.85, oh: 1, ou: 1,
};
const STOPS = new Set<Viseme>(['PP', 'DD', 'kk']);
const VOWEL_VISEMES = new Set<Viseme>(['aa', 'E', 'ih', 'oh', 'ou']);

const unit = (viseme: Viseme, length?: number): VisemeUnit => ({
  viseme,
  length: length ?? (VOWEL_VISEMES.has(viseme) ? VOWEL : STOPS.has(viseme) ? STOP : CONSONANT),
  weight: STRENGTH[viseme],
});

// Whole words, as space-separated visemes; a trailing ":" on a vowel marks it long.
const LEXICON: Readonly<Record<string, string>> = {
  a: 'aa', the: 'TH aa', i: 'aa ih', you: 'ih ou:', your: 'ih oh RR', to: 'DD ou', do: 'DD ou:', of: 'aa FF',
  one: 'ou aa nn', two: 'DD ou:', four: 'FF oh: RR', are: 'aa: RR', was: 'ou aa SS', what: 'ou aa DD', who: 'ou:',
  could: 'kk ou DD', would: 'ou DD', should: 'CH ou DD', have: 'aa FF', give: 'kk ih FF', live: 'nn ih FF',
  love: 'nn aa FF', come: 'kk aa PP', some: 'SS aa PP', done: 'DD aa nn', none: 'nn aa nn', gone: 'kk oh nn',
  move: 'PP ou: FF', said: 'SS E DD', says: 'SS E SS', does: 'DD aa SS', there: 'TH E RR', their: 'TH E RR',
  where: 'ou E RR', were: 'ou RR', here: 'ih: RR', been: 'PP ih: nn', ok: 'oh ou kk E ih', okay: 'oh ou kk E ih',
  hi: 'aa ih', bye: 'PP aa ih', any: 'E nn ih', many: 'PP E nn ih', people: 'PP ih: PP nn', mascot: 'PP aa SS kk aa DD',
};

function lexiconUnits(entry: string): VisemeUnit[] {
  return entry.split(' ').map((token) =>
    token.endsWith(':') ? unit(token.slice(0, -1) as Viseme, LONG_VOWEL) : unit(token as Viseme),
  );
}

const isVowel = (ch: string | undefined): boolean => ch !== undefined && 'aeiou'.includes(ch);
const isConsonant = (ch: string | undefined): boolean => ch !== undefined && /[b-df-hj-np-tv-z]/.test(ch);

// Vowel teams and digraphs, longest first, tried at each position before single letters.
const GRAPHEMES: readonly (readonly [string, (w: string, i: number) => VisemeUnit[] | null])[] = [
  ['tion', () => [unit('CH'), unit('aa', 0.8), unit('nn')]],
  ['sion', () => [unit('CH'), unit('aa', 0.8), unit('nn')]],
  ['ture', () => [unit('CH'), unit('RR', VOWEL)]],
  ['igh', () => [unit('aa'), unit('ih', GLIDE)]],
  ['sch', () => [unit('SS'), unit('kk')]],
  ['tch', () => [unit('CH')]],
  ['th', () => [unit('TH')]],
  ['ch', () => [unit('CH')]],
  ['sh', () => [unit('CH')]],
  ['ph', () => [unit('FF')]],
  ['gh', (_w, i) => (i === 0 ? [unit('kk')] : [])],
  ['ck', () => [unit('kk')]],
  ['ng', (w, i) => (w.endsWith('e') && i + 3 === w.length ? null : [unit('nn')])], // but "change", "range"
  ['qu', () => [unit('kk'), unit('ou', GLIDE)]],
  ['wh', () => [unit('ou', GLIDE)]],
  ['wr', (_w, i) => (i === 0 ? [unit('RR')] : null)],
  ['kn', (_w, i) => (i === 0 ? [unit('nn')] : null)],
  ['mb', (w, i) => (i + 2 === w.length ? [unit('PP')] : null)],
  ['ee', () => [unit('ih', LONG_VOWEL)]],
  ['ea', () => [unit('ih', LONG_VOWEL)]],
  ['oo', () => [unit('ou', LONG_VOWEL)]],
  ['ou', () => [unit('aa'), unit('ou', GLIDE)]],
  ['ow', () => [unit('oh'), unit('ou', GLIDE)]],
  ['ai', () => [unit('E'), unit('ih', GLIDE)]],
  ['ay', () => [unit('E'), unit('ih', GLIDE)]],
  ['ei', () => [unit('E'), unit('ih', GLIDE)]],
  ['ey', () => [unit('E'), unit('ih', GLIDE)]],
  ['oa', () => [unit('oh'), unit('ou', GLIDE)]],
  ['oi', () => [unit('oh'), unit('ih', GLIDE)]],
  ['oy', () => [unit('oh'), unit('ih', GLIDE)]],
  ['au', () => [unit('oh', LONG_VOWEL)]],
  ['aw', () => [unit('oh', LONG_VOWEL)]],
  ['ie', () => [unit('ih', LONG_VOWEL)]],
  ['ue', () => [unit('ou', LONG_VOWEL)]],
  ['ew', () => [unit('ou', LONG_VOWEL)]],
  // r-coloured vowels ("her", "bird", "turn"), unless a vowel follows ("very", "during").
  ...(['er', 'ir', 'ur'] as const).map(
    (team) => [team, (w: string, i: number) => (isVowel(w[i + 2]) || w[i + 2] === 'y' ? null : [unit('RR', VOWEL)])] as const,
  ),
];

// "make", "time", "home", "use", also "makes", "hoped": vowel, one consonant, final e (+ s/d).
function hasMagicE(word: string, i: number): boolean {
  const consonant = word[i + 1];
  if (!isConsonant(consonant) || consonant === 'w' || consonant === 'x' || consonant === 'y' || word[i + 2] !== 'e') return false;
  const rest = word.slice(i + 3);
  return rest === '' || rest === 's' || rest === 'd';
}

const LONG_VOWELS: Readonly<Record<string, () => VisemeUnit[]>> = {
  a: () => [unit('E'), unit('ih', GLIDE)],
  e: () => [unit('ih', LONG_VOWEL)],
  i: () => [unit('aa'), unit('ih', GLIDE)],
  o: () => [unit('oh'), unit('ou', GLIDE)],
  u: () => [unit('ou', LONG_VOWEL)],
};
const SHORT_VOWELS: Readonly<Record<string, Viseme>> = { a: 'aa', e: 'E', i: 'ih', o: 'oh', u: 'aa' };
const CONSONANTS: Readonly<Record<string, Viseme[]>> = {
  b: ['PP'], m: ['PP'], p: ['PP'], f: ['FF'], v: ['FF'], t: ['DD'], d: ['DD'], k: ['kk'], q: ['kk'], j: ['CH'],
  l: ['nn'], n: ['nn'], r: ['RR'], s: ['SS'], z: ['SS'], w: ['ou'], x: ['kk', 'SS'], h: [],
};

function letterUnits(word: string, i: number, silent: Set<number>): VisemeUnit[] {
  const ch = word[i] ?? '';
  const next = word[i + 1];
  if (silent.has(i)) return [];
  if (isVowel(ch)) {
    if (hasMagicE(word, i)) {
      silent.add(i + 2);
      return (LONG_VOWELS[ch] as () => VisemeUnit[])();
    }
    const hasEarlierVowel = /[aeiouy]/.test(word.slice(0, i));
    if (ch === 'e' && i === word.length - 1 && word.length > 3 && hasEarlierVowel) return []; // silent final e
    if (ch === 'e' && i === word.length - 1 && !hasEarlierVowel) return [unit('ih', LONG_VOWEL)]; // "be", "she"
    return [unit(SHORT_VOWELS[ch] as Viseme)];
  }
  if (ch === 'y') {
    if (i === 0 && isVowel(next)) return [unit('ih', GLIDE)]; // "yes"
    if (i === word.length - 1 && !/[aeiou]/.test(word)) return [unit('aa'), unit('ih', GLIDE)]; // "my", "why"
    return [unit('ih')];
  }
  if (ch === 'c') return [unit(next === 'e' || next === 'i' || next === 'y' ? 'SS' : 'kk')];
  if (ch === 'g') {
    const soft = (next === 'e' && i + 2 === word.length) || (next === 'y' && i + 2 === word.length) || word.startsWith('ion', i + 1);
    return [unit(soft ? 'CH' : 'kk')];
  }
  if (ch === 'x' && i === 0) return [unit('SS')];
  return (CONSONANTS[ch] ?? []).map((viseme) => unit(viseme));
}

// Neighbouring units with the same viseme ("mp", "nd" do not both show) become one, lengths added.
function mergeRepeats(units: readonly VisemeUnit[]): VisemeUnit[] {
  const merged: VisemeUnit[] = [];
  for (const next of units) {
    const last = merged.at(-1);
    if (last?.viseme === next.viseme) merged[merged.length - 1] = { ...last, length: last.length + next.length };
    else merged.push(next);
  }
  return merged;
}

const NEUTRAL_SYLLABLE: readonly Viseme[] = ['aa', 'E', 'oh', 'ih', 'ou'];
const FOLDED_LETTERS: Readonly<Record<string, string>> = { ß: 'ss', æ: 'ae', ø: 'o', œ: 'e', đ: 'd', ł: 'l', þ: 'th', ð: 'th' };

/** Visemes for one word of letters (any case, diacritics allowed). */
export function spellVisemes(word: string): VisemeUnit[] {
  const lower = word
    .normalize('NFKD')
    .replace(/[\u0300-\u036f'’]/g, '')
    .toLowerCase()
    .replace(/[ßæøœđłþð]/g, (ch) => FOLDED_LETTERS[ch] ?? ch);
  const lexical = LEXICON[lower];
  if (lexical !== undefined) return lexiconUnits(lexical);

  const units: VisemeUnit[] = [];
  const silent = new Set<number>();
  for (let i = 0; i < lower.length; ) {
    const ch = lower[i] ?? '';
    if (!/[a-z]/.test(ch)) {
      // Another script: one neutral syllable per letter, chosen by code point for some variety.
      const viseme = NEUTRAL_SYLLABLE[(ch.codePointAt(0) ?? 0) % NEUTRAL_SYLLABLE.length] as Viseme;
      units.push({ viseme, length: LONG_VOWEL, weight: 0.6 });
      i += ch.length;
      continue;
    }
    const grapheme = silent.has(i) ? undefined : GRAPHEMES.find(([letters, rule]) => lower.startsWith(letters, i) && rule(lower, i) !== null);
    if (grapheme !== undefined) {
      units.push(...(grapheme[1](lower, i) ?? []));
      i += grapheme[0].length;
    } else {
      // A doubled consonant is one sound ("ll", "ss", "tt").
      if (!(isConsonant(ch) && lower[i - 1] === ch)) units.push(...letterUnits(lower, i, silent));
      i += 1;
    }
  }
  return mergeRepeats(units);
}

// Text as the mouth sees it: words to articulate and pauses to rest in.
//
// Text is first cut into runs: whitespace, single characters of scripts written without spaces
// (each one is a syllable), and everything else between whitespace ("Hello,", "$29.99", "[1].").
// A run's meaning never depends on what follows it, which is what lets the viseme stream turn
// each run into visemes as soon as the next run has begun (viseme-timeline.ts).

import { spellVisemes } from './spell-visemes.ts';
import type { VisemeUnit } from './viseme-set.ts';

export type PauseLength = 'short' | 'long';
export type SpeechToken =
  | { readonly kind: 'word'; readonly units: readonly VisemeUnit[] }
  | { readonly kind: 'pause'; readonly length: PauseLength };

const UNSPACED_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const RUN = new RegExp(`\\s+|${UNSPACED_CHAR.source}|(?:(?!${UNSPACED_CHAR.source})\\S)+`, 'gu');

/** Cut text into runs; `splitSpeechRuns(text).join('') === text`. */
export function splitSpeechRuns(text: string): string[] {
  return text.match(RUN) ?? [];
}

// Numbers are read digit by digit ("29" → "two nine"): close enough for the mouth, and the same
// whatever the language of the surrounding text.
const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const SYMBOL_WORDS: Readonly<Record<string, string>> = {
  '&': 'and', '%': 'percent', '+': 'plus', '=': 'equals', '@': 'at', $: 'dollars', '€': 'euros', '£': 'pounds',
};
// Citation markers such as [1] or [2,3] are shown, not spoken.
const CITATION = /\[\d+(?:[,\s–-]+\d+)*\]/g;
// Inside a run: a word (letters, inner apostrophes), a digit, or one other character.
const PIECE = /\p{L}[\p{L}\p{M}]*(?:['’]\p{L}[\p{L}\p{M}]*)*|\p{Nd}|[.!?…]+|[\s\S]/gu;

const word = (text: string): SpeechToken => ({ kind: 'word', units: spellVisemes(text) });
const pause = (length: PauseLength): SpeechToken => ({ kind: 'pause', length });
const isAlphanumeric = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
const isDigit = (ch: string | undefined): boolean => ch !== undefined && /\p{Nd}/u.test(ch);

function whitespaceTokens(run: string): SpeechToken[] {
  const newlines = run.split('\n').length - 1;
  if (newlines >= 2) return [pause('long')];
  return newlines === 1 ? [pause('short')] : [];
}

// What one piece of a run says, given its neighbours (joiners between letters or digits are silent).
function pieceTokens(piece: string, before: string | undefined, after: string | undefined): SpeechToken[] {
  if (/^\p{L}/u.test(piece)) return [word(piece)];
  if (isDigit(piece)) return [word(DIGIT_WORDS[Number(piece)] ?? 'zero')];
  const joined = isAlphanumeric(before) && isAlphanumeric(after);
  const betweenDigits = isDigit(before) && isDigit(after);
  if (/^[.!?…]+$/.test(piece)) {
    if (piece === '.' && betweenDigits) return [word('point')]; // 3.5
    if (piece === '.' && joined) return []; // example.com, v2.1
    return [pause('long')];
  }
  if (piece === ',' || piece === ':') return betweenDigits ? [] : [pause('short')]; // 1,000 and 10:30
  if (piece === ';' || piece === '—' || piece === '–') return [pause('short')];
  if (piece === '-') return joined ? [] : [pause('short')];
  const symbol = SYMBOL_WORDS[piece];
  return symbol === undefined ? [] : [word(symbol)]; // quotes, brackets, Markdown, emoji: silent
}

/** The words and pauses of one run (see splitSpeechRuns). */
export function speechTokensOfRun(run: string): SpeechToken[] {
  if (/^\s/u.test(run)) return whitespaceTokens(run);
  const pieces = run.replace(CITATION, '').match(PIECE) ?? [];
  return pieces.flatMap((piece, index) => pieceTokens(piece, pieces[index - 1]?.at(-1), pieces[index + 1]?.[0]));
}

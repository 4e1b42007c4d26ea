// Cutting text so that every piece fits a token budget, at the best boundary available:
// sentences first, then words, and only for a single giant "word" (a URL, a base64 blob,
// a line of CJK without punctuation) at a character position.

import { countTokens } from './count-tokens.ts';
import { splitSentences } from './split-sentences.ts';

/** A piece of text and the separator that belongs before it when it follows another piece. */
export type BudgetPiece = { text: string; tokens: number; joiner: string };

// Largest prefix (in code points) of an oversize word within budget, found by binary search.
function sliceWord(word: string, budget: number): BudgetPiece[] {
  const chars = Array.from(word);
  const pieces: BudgetPiece[] = [];
  let start = 0;
  while (start < chars.length) {
    let low = start + 1;
    let high = chars.length;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (countTokens(chars.slice(start, middle).join('')) <= budget) low = middle;
      else high = middle - 1;
    }
    const text = chars.slice(start, low).join('');
    pieces.push({ text, tokens: countTokens(text), joiner: '' });
    start = low;
  }
  return pieces;
}

// Greedy word windows. Splitting and re-joining on a single space is lossless, so runs of
// spaces (code indentation) survive.
function splitWords(sentence: string, budget: number): BudgetPiece[] {
  const pieces: BudgetPiece[] = [];
  let window = '';
  let windowTokens = 0;
  let windowStarted = false;
  const flush = (): void => {
    if (windowStarted) pieces.push({ text: window, tokens: windowTokens, joiner: ' ' });
    window = '';
    windowTokens = 0;
    windowStarted = false;
  };
  for (const word of sentence.split(' ')) {
    const tokens = countTokens(word);
    if (tokens > budget) {
      flush();
      const slices = sliceWord(word, budget);
      slices.forEach((slice, i) => pieces.push(i === 0 ? { ...slice, joiner: ' ' } : slice));
      continue;
    }
    if (windowStarted && windowTokens + tokens > budget) flush();
    window = windowStarted ? `${window} ${word}` : word;
    windowTokens += tokens;
    windowStarted = true;
  }
  flush();
  return pieces;
}

/**
 * Split `text` into pieces of at most `budget` tokens, preferring line, then sentence, then
 * word boundaries. Joining the pieces with their joiners restores the text up to whitespace.
 * The first piece's joiner is "\n" and is meant to be replaced by the caller.
 */
export function splitToBudget(text: string, budget: number): BudgetPiece[] {
  const tokens = countTokens(text);
  if (tokens <= budget) return [{ text, tokens, joiner: '\n' }];
  const pieces: BudgetPiece[] = [];
  for (const line of text.split('\n')) {
    splitSentences(line).forEach((sentence, s) => {
      const sentenceTokens = countTokens(sentence);
      const parts = sentenceTokens <= budget
        ? [{ text: sentence, tokens: sentenceTokens, joiner: ' ' }]
        : splitWords(sentence, budget);
      parts.forEach((part, p) => pieces.push(s === 0 && p === 0 ? { ...part, joiner: '\n' } : part));
    });
  }
  return pieces;
}

/**
 * The longest ending of `text` within `budget` tokens, cut at a sentence boundary when
 * possible, otherwise at a word boundary. Empty when not even the last word fits.
 */
export function tailWithin(text: string, budget: number): string {
  if (budget <= 0) return '';
  const sentences = splitSentences(text);
  let tail = '';
  for (let i = sentences.length - 1; i >= 0; i--) {
    const candidate = tail === '' ? (sentences[i] ?? '') : `${sentences[i] ?? ''} ${tail}`;
    if (countTokens(candidate) > budget) break;
    tail = candidate;
  }
  if (tail !== '') return tail;
  const words = text.split(/\s+/).filter((w) => w !== '');
  for (let i = words.length - 1; i >= 0; i--) {
    const candidate = tail === '' ? (words[i] ?? '') : `${words[i] ?? ''} ${tail}`;
    if (countTokens(candidate) > budget) break;
    tail = candidate;
  }
  return tail;
}

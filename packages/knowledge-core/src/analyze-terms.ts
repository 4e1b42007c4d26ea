import { extractWords } from './normalize-text.ts';
import { isStopWord } from './stop-words.ts';
import { stemWord } from './stem-word.ts';

/** One content word of a text: its folded surface form and its stem. */
export type Term = { word: string; stem: string };

/**
 * The content terms of `text` in reading order: folded words minus stop words, stemmed.
 * Single letters are dropped too ("a", stray initials), but single digits are kept
 * because "plan 2" and "plan 3" differ.
 */
export function analyzeTerms(text: string): Term[] {
  const terms: Term[] = [];
  for (const word of extractWords(text)) {
    if (isStopWord(word) || (word.length === 1 && !/\p{N}/u.test(word))) continue;
    terms.push({ word, stem: stemWord(word) });
  }
  return terms;
}

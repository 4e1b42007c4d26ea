// Text folding and word extraction shared by the embedder, the answer scorer and the
// token counter, so that every part of the offline method agrees on what a "word" is.
// Only ECMAScript built-ins are used (no Node APIs): this also runs in Electron renderers
// and web workers.

// After NFKD, Latin diacritics become separate combining marks in this block; removing only
// this block folds "crème" to "creme" without touching the vowel signs of Indic scripts,
// which are also combining marks but carry meaning.
const LATIN_DIACRITICS = /[\u0300-\u036f]/g;

// Apostrophes inside words are dropped rather than split on, so "customer's" becomes
// "customers" (and stems to "customer") and "don't" becomes one stop word "dont".
const IN_WORD_APOSTROPHE = /(?<=[\p{L}\p{N}])['\u2019](?=\p{L})/gu;

// A word is a run of letters/marks/digits; decimal numbers keep their separator so that
// "29.99" stays one feature instead of two unrelated numbers.
const WORD = /\p{N}+(?:[.,]\p{N}+)+|[\p{L}\p{M}\p{N}]+/gu;

// Scripts written without spaces between words. A regex run of these would be a whole
// clause, so such runs are segmented with the ICU dictionary behind Intl.Segmenter.
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

// A fixed locale keeps segmentation identical on every machine, whatever its default locale.
const wordSegmenter = new Intl.Segmenter('und', { granularity: 'word' });

/** Lowercase, compatibility-normalised (NFKD) text with Latin diacritics removed. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(LATIN_DIACRITICS, '').toLowerCase();
}

/** The folded words of `text`, in order, stop words included. */
export function extractWords(text: string): string[] {
  const folded = foldText(text).replace(IN_WORD_APOSTROPHE, '');
  const words: string[] = [];
  for (const match of folded.matchAll(WORD)) {
    const word = match[0];
    if (!UNSPACED_SCRIPT.test(word)) {
      words.push(word);
      continue;
    }
    for (const part of wordSegmenter.segment(word)) {
      if (part.isWordLike) words.push(part.segment);
    }
  }
  return words;
}

// An approximate token count used to size chunks before a real model tokenizer is wired in
// (that comes with the first local model; until then chunk budgets only need to be roughly
// right, consistent, and cheap to compute).
//
// Counted "word pieces": each run of letters/digits is one piece, long runs count one piece
// per ~8 characters (subword tokenizers split them), every punctuation or symbol character
// is one piece, and each character of a script written without spaces (CJK, Thai…) is one
// piece. For English prose this lands within ~15% of common BPE tokenizers.
//
// The count is additive over whitespace: countTokens(a + ' ' + b) === countTokens(a) +
// countTokens(b). The chunker relies on that to keep chunks within budget by summing parts.

const UNSPACED_CHAR = String.raw`[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]`;
const PIECE = new RegExp(
  String.raw`${UNSPACED_CHAR}|(?:(?!${UNSPACED_CHAR})[\p{L}\p{M}\p{N}])+|[^\s\p{L}\p{M}\p{N}]`,
  'gu',
);

/** Words up to this length count as one piece. */
const SHORT_WORD_CHARS = 10;
/** Longer words count one piece per this many characters. */
export const CHARS_PER_LONG_WORD_PIECE = 8;

/** Approximate number of model tokens in `text` (see the comment above for the method). */
export function countTokens(text: string): number {
  let count = 0;
  for (const match of text.matchAll(PIECE)) {
    const length = match[0].length;
    count += length <= SHORT_WORD_CHARS ? 1 : Math.ceil(length / CHARS_PER_LONG_WORD_PIECE);
  }
  return count;
}

// Word-level streaming of a finished answer (the offline provider has no model to stream
// from). Each token is a word with the whitespace before it and the punctuation attached
// to it, so a client can append tokens as they arrive and `tokens.join('')` is exactly
// the text. Runs of scripts written without spaces are cut into words with Intl.Segmenter,
// so a Chinese or Thai answer streams word by word too instead of in one piece.

const SPACED_WORD = /\s*\S+|\s+$/g;
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const wordSegmenter = new Intl.Segmenter('und', { granularity: 'word' });

// Cut an unspaced run at word starts; non-word segments (punctuation) stay with the word before.
function segmentUnspaced(token: string): string[] {
  const parts: string[] = [];
  for (const { segment, isWordLike } of wordSegmenter.segment(token)) {
    const last = parts.length - 1;
    if (isWordLike || last < 0 || /^\s+$/.test(parts[last] ?? '')) parts.push(segment);
    else parts[last] += segment;
  }
  return parts;
}

/** Split `text` into stream tokens such that `splitIntoStreamTokens(text).join('') === text`. */
export function splitIntoStreamTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.matchAll(SPACED_WORD)) {
    const token = match[0];
    if (!UNSPACED_SCRIPT.test(token)) {
      tokens.push(token);
      continue;
    }
    const [first = '', ...rest] = segmentUnspaced(token);
    // Keep leading whitespace on the first word rather than streaming it alone.
    if (/^\s+$/.test(first) && rest.length > 0) rest[0] = first + rest[0];
    else rest.unshift(first);
    tokens.push(...rest.filter((part) => part !== ''));
  }
  return tokens;
}

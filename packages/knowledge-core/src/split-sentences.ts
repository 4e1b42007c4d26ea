// Sentence splitting on Intl.Segmenter (Unicode UAX #29 rules, available in Node, Electron
// and browsers), plus a repair for the one mistake that matters for quoting: ICU breaks after
// common abbreviations ("Mr. Smith", "approx. 5 days"), which would quote half sentences.

// A fixed locale keeps the result identical on every machine.
const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

const ABBREVIATION_END = /(?:^|[\s(])(?:mr|mrs|ms|dr|prof|sr|jr|st|vs|etc|approx|incl|excl|nr|fig|ca|inc|ltd|corp|dept|e\.g|i\.e|cf|min|max|tel)\.\s*$/i;

/**
 * The sentences of `text`, trimmed, without empty ones. A line break always ends a sentence,
 * so list items and table rows come out one per sentence.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let pending = '';
  for (const { segment } of sentenceSegmenter.segment(text)) {
    pending += segment;
    // Keep accumulating across an abbreviation, unless the segment ended the line.
    if (ABBREVIATION_END.test(pending) && !/\n\s*$/.test(segment)) continue;
    const sentence = pending.trim();
    if (sentence) sentences.push(sentence);
    pending = '';
  }
  const rest = pending.trim();
  if (rest) sentences.push(rest);
  return sentences;
}

// A deliberately light English suffix stemmer. Its only job is to make morphological
// variants meet ("price", "prices", "pricing", "priced" -> "pric"; "ship", "shipping",
// "shipment" -> "ship") for the word-level features. It over- and under-stems now and
// then; the character n-gram features in the embedder absorb most of those misses, so a
// full Porter/Snowball implementation would add code without moving recall much.

const VOWEL = /[aeiouy]/;

function hasVowel(text: string): boolean {
  return VOWEL.test(text);
}

// Step 1: plural and tense endings.
function stripInflection(word: string): string {
  if ((word.endsWith('ies') || word.endsWith('ied')) && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  // class, status, analysis: the final "s" is part of the word.
  if (word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')) return word;
  if (word.endsWith('s')) return word.slice(0, -1);
  // "need", "feed": not a past tense.
  if (word.endsWith('eed')) return word;
  for (const suffix of ['ing', 'ed']) {
    const stem = word.slice(0, -suffix.length);
    if (word.endsWith(suffix) && stem.length >= 3 && hasVowel(stem)) return stem;
  }
  return word;
}

// Step 2: one derivational ending, so "cancellation" meets "cancel" and "monthly" meets "month".
const DERIVATIONS: ReadonlyArray<readonly [suffix: string, minStem: number]> = [
  ['ation', 3],
  ['ment', 3],
  ['ness', 3],
  ['able', 3],
  ['ible', 3],
  ['ful', 3],
  ['ly', 4],
];

function stripDerivation(word: string): string {
  for (const [suffix, minStem] of DERIVATIONS) {
    const stem = word.slice(0, -suffix.length);
    if (word.endsWith(suffix) && stem.length >= minStem && hasVowel(stem)) return stem;
  }
  return word;
}

// Step 3: spelling tidy-ups that make the surviving stems agree.
function tidyEnding(word: string): string {
  let stem = word;
  // policy / policies -> polici (the plural already went through "ies" -> "y").
  if (stem.length > 3 && stem.endsWith('y') && !VOWEL.test(stem.charAt(stem.length - 2))) {
    stem = `${stem.slice(0, -1)}i`;
  }
  // shipp(ing) -> ship, cancell(ed) -> cancel.
  const last = stem.charAt(stem.length - 1);
  if (stem.length > 3 && last === stem.charAt(stem.length - 2) && !VOWEL.test(last)) {
    stem = stem.slice(0, -1);
  }
  // price -> pric so that it meets pric(ing).
  if (stem.length > 3 && stem.endsWith('e')) stem = stem.slice(0, -1);
  return stem;
}

/** Stem a folded lowercase word. Words that are not plain a–z (numbers, other scripts) pass through. */
export function stemWord(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  return tidyEnding(stripDerivation(stripInflection(word)));
}

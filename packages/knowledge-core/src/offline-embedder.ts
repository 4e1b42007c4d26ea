// The offline embedding: a signed feature-hashing ("hashing trick") bag of features.
// No model file and no network, yet paraphrases that share words, stems or word parts
// land close together, which is what the pgvector half of hybrid retrieval needs.
//
// Features, each family hashed separately and given its own weight:
//   word    stemmed content words ("prices" -> "pric")        - topical signal
//   bigram  adjacent stemmed content words ("pro plan")       - phrase signal
//   char    3..5-grams of each content word, with < > marks    - typos, compounds, stems the
//                                                                 stemmer misses, other languages
// Within a family a feature weighs 1 + ln(tf), so repeating a word helps but cannot dominate.
// Each family vector is L2-normalised before weighting, so the family weights are shares
// of the final direction whatever the text length (char n-grams far outnumber words and
// would otherwise drown them). The sum is L2-normalised again.

import { analyzeTerms, type Term } from './analyze-terms.ts';
import { hashString } from './hash-string.ts';
import { extractWords } from './normalize-text.ts';
import { stemWord } from './stem-word.ts';

/** Stored next to every vector so the server can tell which method produced it. */
export const OFFLINE_EMBEDDING_MODEL = 'mascot-hash-ngram-v1';
/** Must match the pgvector column, `vector(512)`. */
export const OFFLINE_EMBEDDING_DIMENSIONS = 512;

// Changing any of these changes every vector: bump OFFLINE_EMBEDDING_MODEL when you do.
// Tuned on a small question/passage set (MRR 0.93 over 38 questions, 16 passages). Bigrams
// stay light: a short question has one or two, and since each family gets its full weight
// whatever its size, a heavy bigram family mostly adds hash-collision noise in 512 buckets.
// Phrase precision comes from the full-text half of the hybrid search anyway.
const FAMILY_WEIGHTS = { word: 1, bigram: 0.2, char: 0.75 } as const;
const CHAR_NGRAM_SIZES = [3, 4, 5] as const;
// Used when a text has no letters or digits at all, so its vector is still a valid unit
// vector for cosine distance (similar only to other such texts).
const EMPTY_TEXT_BUCKET = 0;

type Family = keyof typeof FAMILY_WEIGHTS;

// Plain sum of squares in index order, then sqrt (correctly rounded by IEEE 754): unlike
// Math.hypot, whose algorithm is left to the engine, this gives bit-identical results everywhere.
function l2Norm(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value * value;
  return Math.sqrt(sum);
}

function countFeatures(terms: readonly Term[]): Record<Family, Map<string, number>> {
  const families: Record<Family, Map<string, number>> = { word: new Map(), bigram: new Map(), char: new Map() };
  const add = (family: Family, feature: string): void => {
    const counts = families[family];
    counts.set(feature, (counts.get(feature) ?? 0) + 1);
  };
  terms.forEach((term, i) => {
    add('word', term.stem);
    const next = terms[i + 1];
    if (next) add('bigram', `${term.stem} ${next.stem}`);
    // Grams of the unstemmed word: the stemmer's misses ("delivery"/"deliver") still share grams.
    const marked = `<${term.word}>`;
    for (const size of CHAR_NGRAM_SIZES) {
      for (let start = 0; start + size <= marked.length; start++) add('char', marked.slice(start, start + size));
    }
  });
  return families;
}

function hashFamily(family: Family, counts: Map<string, number>, into: Float64Array): void {
  const familyVector = new Float64Array(OFFLINE_EMBEDDING_DIMENSIONS);
  for (const [feature, tf] of counts) {
    // The family prefix keeps "pro" the word and "pro" the trigram in different buckets.
    const hash = hashString(`${family}:${feature}`);
    const bucket = hash % OFFLINE_EMBEDDING_DIMENSIONS;
    // The sign bit makes colliding features cancel on average instead of piling up.
    const sign = hash & 0x80000000 ? -1 : 1;
    familyVector[bucket] = (familyVector[bucket] ?? 0) + sign * (1 + Math.log(tf));
  }
  const norm = l2Norm(familyVector);
  if (norm === 0) return;
  const scale = FAMILY_WEIGHTS[family] / norm;
  for (let i = 0; i < familyVector.length; i++) into[i] = (into[i] ?? 0) + (familyVector[i] ?? 0) * scale;
}

/**
 * Embed `text` as a unit-length vector of OFFLINE_EMBEDDING_DIMENSIONS numbers.
 * Deterministic: the same text gives the same vector on every run and platform.
 * Never returns a zero vector: text made only of stop words is embedded from all its
 * words, and text without any letter or digit gets a fixed unit vector.
 */
export function embedText(text: string): number[] {
  let terms = analyzeTerms(text);
  if (terms.length === 0) terms = extractWords(text).map((word) => ({ word, stem: stemWord(word) }));

  const vector = new Float64Array(OFFLINE_EMBEDDING_DIMENSIONS);
  const families = countFeatures(terms);
  for (const family of Object.keys(FAMILY_WEIGHTS) as Family[]) hashFamily(family, families[family], vector);

  const norm = l2Norm(vector);
  if (norm === 0) {
    const unit = new Array<number>(OFFLINE_EMBEDDING_DIMENSIONS).fill(0);
    unit[EMPTY_TEXT_BUCKET] = 1;
    return unit;
  }
  return Array.from(vector, (value) => value / norm);
}

/** `embedText` over a batch, in order. */
export function embedTexts(texts: readonly string[]): number[][] {
  return texts.map((text) => embedText(text));
}

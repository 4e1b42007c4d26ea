/**
 * Drops passages that say nearly the same as a better-ranked one (overlapping chunks, the same FAQ
 * pasted into two documents), so the answer and its citations are not the same sentence twice.
 * Jaccard similarity of word sets; 0.8 keeps paraphrases, drops near copies.
 */
const NEAR_DUPLICATE = 0.8;

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 1 : shared / union;
}

export function dropNearDuplicates<T extends { text: string }>(ranked: T[]): T[] {
  const kept: { passage: T; words: Set<string> }[] = [];
  for (const passage of ranked) {
    const set = words(passage.text);
    if (kept.every((k) => jaccard(k.words, set) < NEAR_DUPLICATE)) kept.push({ passage, words: set });
  }
  return kept.map((k) => k.passage);
}

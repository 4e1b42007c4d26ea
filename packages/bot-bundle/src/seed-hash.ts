// A stable, platform-independent 32-bit hash for bucketing visitors. FNV-1a alone mixes its low
// bits poorly for short, similar seeds ("visitor-1", "visitor-2"); the MurmurHash3 finaliser
// spreads every input bit over the whole word, so buckets fill evenly. Math.imul keeps the
// arithmetic in exact 32-bit integers in every JavaScript engine (the same hash as knowledge-core's).

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fmix32(input: number): number {
  let h = input;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Maps `seed` to a number in [0, 1), the same on every platform and for every call. */
export function seedToUnitInterval(seed: string): number {
  let h = FNV_OFFSET_BASIS;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return fmix32(h) / 2 ** 32;
}

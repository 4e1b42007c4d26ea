// One stable 32-bit string hash for feature hashing. FNV-1a is tiny and the same on every
// platform, but its low bits mix poorly for short keys, and the embedder takes the bucket
// from the low bits; the MurmurHash3 finaliser fixes that by avalanching all 32 bits.
// Math.imul keeps every multiplication in exact 32-bit integer arithmetic.

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

/**
 * Unsigned 32-bit hash of `text`: FNV-1a over its UTF-16 code units, then fmix32.
 * (A port to another language must hash UTF-16 code units too to produce the same vectors.)
 */
export function hashString(text: string): number {
  let h = FNV_OFFSET_BASIS;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return fmix32(h);
}

import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Logger } from '../logging/index.ts';

/**
 * Brotli and gzip copies of immutable, content-addressed files that are only known at run time
 * (uploaded and built-in avatar models), kept in memory up to a byte budget. A copy is made once, in
 * the background on libuv's thread pool: the request that finds none gets the original at once, so
 * no visitor ever waits for a compression; the ones after it get the smaller copy.
 */

const compressWith = {
  br: promisify(brotliCompress),
  gzip: promisify(gzip),
};
export type VariantCoding = keyof typeof compressWith;

const OPTIONS = {
  br: { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } },
  gzip: { level: 9 },
} as const;

export interface CompressedVariantsOptions {
  /** Total bytes of compressed copies kept; the least recently used go first. */
  maxBytes: number;
  logger: Logger;
}

export class CompressedVariants {
  private readonly copies = new Map<string, Buffer>();
  private readonly pending = new Map<string, Promise<void>>();
  private bytes = 0;

  constructor(private readonly options: CompressedVariantsOptions) {}

  /**
   * The first of `codings` (best first) already compressed for `key`; starts compressing the missing
   * ones with `load` and returns undefined when none is ready yet.
   */
  pick(key: string, codings: readonly VariantCoding[], load: () => Promise<Buffer>): { coding: VariantCoding; bytes: Buffer } | undefined {
    let found: { coding: VariantCoding; bytes: Buffer } | undefined;
    for (const coding of codings) {
      const id = `${coding}:${key}`;
      const copy = this.copies.get(id);
      if (copy) {
        // Re-insert: Map order is the recency order the eviction walks.
        this.copies.delete(id);
        this.copies.set(id, copy);
        found ??= { coding, bytes: copy };
      } else if (!this.pending.has(id)) {
        this.pending.set(id, this.compress(id, coding, load).finally(() => this.pending.delete(id)));
      }
    }
    return found;
  }

  /** Resolves once no compression is running (tests wait on it instead of sleeping). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending.values());
  }

  private async compress(id: string, coding: VariantCoding, load: () => Promise<Buffer>): Promise<void> {
    try {
      const original = await load();
      const copy = await compressWith[coding](original, OPTIONS[coding]);
      if (copy.length >= original.length || copy.length > this.options.maxBytes) return; // nothing gained, or never fits
      this.copies.set(id, copy);
      this.bytes += copy.length;
      for (const [oldest, bytes] of this.copies) {
        if (this.bytes <= this.options.maxBytes) break;
        this.copies.delete(oldest);
        this.bytes -= bytes.length;
      }
    } catch (error) {
      // The original is still served; a later request tries again.
      this.options.logger.warn({ err: error, coding }, 'could not compress a file for sending');
    }
  }
}

/**
 * Times to first token as a fixed-bucket, log-spaced histogram: bucket 0 holds 0 ms, bucket b ≥ 1
 * holds [GROWTH^(b-1), GROWTH^b) ms, the last bucket everything longer (~55 min and up). Histograms
 * of any days and bots merge by adding bucket counts, so a median or p95 over a year reads 366 small
 * arrays instead of every reply.
 *
 * Error bound: a quantile is reported as its bucket's geometric middle, GROWTH^(b-½), rounded to a
 * whole millisecond, so it is within √GROWTH − 1 ≈ 4.9 % of the true nearest-rank value plus 0.5 ms
 * of rounding (and at most 1 ms off below 10 ms, where buckets are narrower than the millisecond
 * resolution of the samples).
 */
export const TTFT_BUCKETS = 160;
const GROWTH = 1.1;
const LOG_GROWTH = Math.log(GROWTH);

/** The bucket (0-based) a time to first token of `ms` milliseconds is counted in. */
export function ttftBucket(ms: number): number {
  if (!(ms >= 1)) return 0;
  return Math.min(TTFT_BUCKETS - 1, 1 + Math.floor(Math.log(ms) / LOG_GROWTH + 1e-9));
}

/** The value reported for a quantile that falls in `bucket`. */
export function ttftBucketValue(bucket: number): number {
  return bucket === 0 ? 0 : Math.round(GROWTH ** (bucket - 0.5));
}

/**
 * The nearest-rank `quantile` (0 < q ≤ 1) of the samples counted in `histogram`, in milliseconds;
 * null without samples.
 */
export function ttftQuantile(histogram: readonly number[], quantile: number): number | null {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(quantile * total));
  let seen = 0;
  for (let bucket = 0; bucket < histogram.length; bucket++) {
    seen += histogram[bucket]!;
    if (seen >= rank) return ttftBucketValue(bucket);
  }
  return ttftBucketValue(histogram.length - 1);
}

/** Adds histograms bucket by bucket. */
export function mergeHistograms(histograms: readonly (readonly number[])[]): number[] {
  const merged = new Array<number>(TTFT_BUCKETS).fill(0);
  for (const histogram of histograms) {
    for (let bucket = 0; bucket < TTFT_BUCKETS; bucket++) merged[bucket]! += Number(histogram[bucket] ?? 0);
  }
  return merged;
}

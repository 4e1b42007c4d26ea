import { describe, expect, it } from 'vitest';
import { mergeHistograms, TTFT_BUCKETS, ttftBucket, ttftQuantile } from './ttft-histogram.ts';

function histogramOf(samples: number[]): number[] {
  const histogram = new Array<number>(TTFT_BUCKETS).fill(0);
  for (const sample of samples) histogram[ttftBucket(sample)]! += 1;
  return histogram;
}

function nearestRank(samples: number[], quantile: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(quantile * sorted.length)) - 1]!;
}

describe('the time-to-first-token histogram', () => {
  it('reports medians and p95s within 4.9 % plus half a millisecond of rounding (or 1 ms) of the exact nearest-rank values', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const samples = Array.from({ length: 1 + Math.floor(random() * 300) }, () => Math.round(random() ** 3 * 20_000));
      const histogram = histogramOf(samples);
      for (const quantile of [0.5, 0.95]) {
        const exact = nearestRank(samples, quantile);
        const estimate = ttftQuantile(histogram, quantile)!;
        expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(Math.max(1, exact * 0.049 + 0.5));
      }
    }
  });

  it('puts each sample in the bucket whose range holds it, the longest ones in the last', () => {
    expect(ttftBucket(0)).toBe(0);
    expect(ttftBucket(1)).toBe(1);
    expect(ttftBucket(1.09)).toBe(1);
    expect(ttftBucket(1.1)).toBe(2);
    expect(ttftBucket(10 * 60 * 60 * 1000)).toBe(TTFT_BUCKETS - 1);
  });

  it('merges by adding, so a range answers as if its samples were counted together', () => {
    const merged = mergeHistograms([histogramOf([100, 200]), histogramOf([300, 400, 5000])]);
    expect(merged).toEqual(histogramOf([100, 200, 300, 400, 5000]));
    expect(ttftQuantile(merged, 0.5)).toBe(ttftQuantile(histogramOf([100, 200, 300, 400, 5000]), 0.5));
    expect(ttftQuantile(new Array<number>(TTFT_BUCKETS).fill(0), 0.5)).toBeNull();
  });
});

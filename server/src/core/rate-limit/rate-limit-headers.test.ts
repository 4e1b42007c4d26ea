import { describe, expect, it } from 'vitest';
import { rateLimitHeaders } from './rate-limit-headers.ts';

describe('rateLimitHeaders', () => {
  it('lists every budget as a structured-field item in both fields, in the given order', () => {
    expect(rateLimitHeaders([
      { limit: 'apiKey', quota: 1200, windowS: 60, remaining: 1187, resetAfterS: 42 },
      { limit: 'tenant', quota: 3000, windowS: 60, remaining: 0, resetAfterS: 7 },
    ])).toEqual([
      ['ratelimit-policy', '"apiKey";q=1200;w=60, "tenant";q=3000;w=60'],
      ['ratelimit', '"apiKey";r=1187;t=42, "tenant";r=0;t=7'],
    ]);
  });

  it('sends no fields when no budget applies', () => {
    expect(rateLimitHeaders([])).toEqual([]);
  });
});

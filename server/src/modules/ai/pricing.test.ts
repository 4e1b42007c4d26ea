import { describe, expect, it } from 'vitest';
import { PRICING_TABLE, costMicroUsd, priceUsage } from './pricing.ts';

describe('priceUsage', () => {
  it('prices a listed model exactly, in micro-dollars, naming the table row used', () => {
    // gpt-4o-mini: $0.15 in / $0.60 out per million → 1,000 in + 500 out = 150 + 300 µ$.
    expect(priceUsage('openai', 'gpt-4o-mini', { inputTokens: 1000, outputTokens: 500 })).toEqual({
      costMicroUsd: 450,
      pricingVersion: 'openai/gpt-4o-mini@2025-01-01',
    });
    // claude-sonnet-4-5: $3 / $15 → 2,000 in + 100 out = 6,000 + 1,500 µ$.
    expect(priceUsage('anthropic', 'claude-sonnet-4-5', { inputTokens: 2000, outputTokens: 100 }).costMicroUsd).toBe(7500);
  });

  it('prices a dated snapshot as its model, and nothing else that merely starts the same', () => {
    expect(priceUsage('openai', 'gpt-4o-mini-2024-07-18', { inputTokens: 1000, outputTokens: 0 }).pricingVersion).toBe('openai/gpt-4o-mini@2025-01-01');
    expect(priceUsage('anthropic', 'claude-sonnet-4-5-20250929', { inputTokens: 1, outputTokens: 0 }).pricingVersion).toBe('anthropic/claude-sonnet-4-5@2025-09-29');
    expect(priceUsage('openai', 'gpt-4o-mini-audio-preview', { inputTokens: 1, outputTokens: 0 }).pricingVersion).toMatch(/unlisted/);
  });

  it('is free for the offline provider and for self-hosted compatible models', () => {
    expect(priceUsage('offline', 'mascot-extractive-v1', { inputTokens: 10_000, outputTokens: 10_000 })).toEqual({ costMicroUsd: 0, pricingVersion: 'offline' });
    expect(priceUsage('openai-compatible', 'llama3.1:8b', { inputTokens: 10_000, outputTokens: 10_000 })).toEqual({ costMicroUsd: 0, pricingVersion: 'self-hosted' });
  });

  it("charges an unlisted hosted model at the provider's highest listed prices, so budgets never under-count", () => {
    const priced = priceUsage('anthropic', 'claude-future-9', { inputTokens: 1_000_000, outputTokens: 1_000_000 });
    const rows = Object.values(PRICING_TABLE.anthropic).flat();
    const highest = Math.max(...rows.map((r) => r.inputMicroUsdPerMillion)) + Math.max(...rows.map((r) => r.outputMicroUsdPerMillion));
    expect(priced.costMicroUsd).toBe(highest);
    expect(priced.pricingVersion).toMatch(/^anthropic\/unlisted@/);
  });

  it('uses the price in effect on the reply date', () => {
    expect(priceUsage('openai', 'gpt-5', { inputTokens: 1_000_000, outputTokens: 0 }, new Date('2025-09-01')).costMicroUsd).toBe(1_250_000);
    // Before gpt-5 had a listed price, it counts as unlisted.
    expect(priceUsage('openai', 'gpt-5', { inputTokens: 1, outputTokens: 0 }, new Date('2025-01-02')).pricingVersion).toMatch(/unlisted/);
  });

  it('rounds half up on exact integers, and sums to the micro-dollar across a thousand replies', () => {
    const row = { inputMicroUsdPerMillion: 150_000, outputMicroUsdPerMillion: 600_000 };
    expect(costMicroUsd({ inputTokens: 3, outputTokens: 0 }, row)).toBe(0); // 0.45 µ$
    expect(costMicroUsd({ inputTokens: 10, outputTokens: 0 }, row)).toBe(2); // 1.5 µ$ → 2
    let perReply = 0;
    let inputs = 0;
    let outputs = 0;
    for (let i = 0; i < 1000; i++) {
      const usage = { inputTokens: 1200 + i * 7, outputTokens: 80 + (i % 13) * 11 };
      perReply += priceUsage('openai', 'gpt-4o-mini', usage).costMicroUsd;
      inputs += usage.inputTokens;
      outputs += usage.outputTokens;
    }
    const exactTotal = (inputs * 150_000 + outputs * 600_000) / 1_000_000;
    expect(Math.abs(perReply - exactTotal)).toBeLessThanOrEqual(500); // ≤ ½ µ$ per reply: under a twentieth of a cent
    expect(Math.round(perReply / 10_000)).toBe(Math.round(exactTotal / 10_000)); // the same number of cents
  });

  it('treats nonsense token counts as zero instead of producing NaN', () => {
    expect(priceUsage('openai', 'gpt-4o', { inputTokens: Number.NaN, outputTokens: -5 }).costMicroUsd).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { pickVariant } from './pick-variant.ts';
import type { BotVariant } from './variants.ts';

const variants = (...weights: number[]): BotVariant[] => weights.map((weight, i) => ({ id: `v${i}`, weight }));
const seeds = Array.from({ length: 10_000 }, (_, i) => `bot_42:visitor-${i}`);

function shares(list: BotVariant[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const seed of seeds) {
    const id = pickVariant({ variants: list }, seed)?.id ?? 'none';
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).map(([id, count]) => [id, count / seeds.length]));
}

describe('pickVariant', () => {
  it('picks nothing for a bundle without variants', () => {
    expect(pickVariant({ variants: [] }, 'visitor-1')).toBeNull();
  });

  it('always picks the same variant for the same seed', () => {
    const list = variants(30, 30, 40);
    for (const seed of seeds.slice(0, 200)) {
      expect(pickVariant({ variants: list }, seed)).toBe(pickVariant({ variants: list }, seed));
    }
    expect(pickVariant({ variants: list }, 'bot_42:visitor-7')?.id).toBe(
      pickVariant({ variants: variants(30, 30, 40) }, 'bot_42:visitor-7')?.id,
    );
  });

  it('moves no visitor when the variants are listed in another order', () => {
    const list = variants(50, 25, 25);
    const reversed = [...list].reverse();
    for (const seed of seeds.slice(0, 1000)) {
      expect(pickVariant({ variants: reversed }, seed)?.id).toBe(pickVariant({ variants: list }, seed)?.id);
    }
  });

  it.each([[[70, 20, 10]], [[50, 50]], [[1, 99]], [[100, 1, 1, 1, 1]]])(
    'gives each variant its share of weight %j within 3 points over 10,000 visitors',
    (weights) => {
      const total = weights.reduce((sum, weight) => sum + weight, 0);
      const observed = shares(variants(...weights));
      weights.forEach((weight, i) => {
        expect(Math.abs((observed[`v${i}`] ?? 0) - weight / total)).toBeLessThanOrEqual(0.03);
      });
    },
  );

  it('gives every visitor the only variant when there is one', () => {
    expect(shares(variants(7))).toEqual({ v0: 1 });
  });
});

import type { BotBundle } from './bot-bundle.ts';
import { seedToUnitInterval } from './seed-hash.ts';
import type { BotVariant } from './variants.ts';

const byId = (a: BotVariant, b: BotVariant): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The variant a visitor sees, or null when the bundle has no variants. Deterministic: the same
 * seed always gets the same variant of the same bundle, with probability weight / total weight.
 * Variants are laid out by id, not by list position, so reordering them in Studio moves no one;
 * changing weights or ids does reassign some visitors.
 *
 * Pass a seed that joins the bot and the visitor (`${botId}:${visitorId}`): with the visitor id
 * alone, one visitor would land in the same bucket of every bot's experiment.
 */
export function pickVariant(bundle: Pick<BotBundle, 'variants'>, visitorSeed: string): BotVariant | null {
  const variants = [...bundle.variants].sort(byId);
  const total = variants.reduce((sum, variant) => sum + variant.weight, 0);
  if (total === 0) return null;
  let point = seedToUnitInterval(visitorSeed) * total;
  for (const variant of variants) {
    point -= variant.weight;
    if (point < 0) return variant;
  }
  // Unreachable while point < total; kept for floating-point safety.
  return variants.at(-1) ?? null;
}

import type { TokenUsage } from './ai-provider.ts';

/**
 * What replies cost, from a versioned price table: per provider and model, prices in micro-dollars
 * (1 µ$ = 1/10,000 of a cent) per million tokens, each with the date it takes effect. A price change
 * is a new row with a later `effectiveFrom`, never an edit, so old replies keep the price they were
 * recorded with and `pricingVersion` names the row that priced each one.
 *
 * Rules:
 * - `offline` is free, and so is every `openai-compatible` model (self-hosted; we cannot know what a
 *   third-party endpoint charges).
 * - A model is matched by its name or a dated snapshot of it (`gpt-4o-mini-2024-07-18`,
 *   `claude-sonnet-4-5-20250929`, `…-latest`).
 * - An `openai` or `anthropic` model missing from the table is charged at that provider's highest
 *   listed input and output prices, so budgets are never under-counted; its pricingVersion says
 *   `unlisted`. Add the model to the table to price it exactly.
 * - Arithmetic is exact integers (BigInt): cost = round-half-up((input × inputPrice + output ×
 *   outputPrice) / 1,000,000). Each reply is off by at most ½ µ$, so a thousand replies add up to
 *   within 0.05 of a cent.
 * Prompt-cache discounts and batch prices are not modelled: cached input is charged as regular input.
 */

export interface PricedUsage {
  costMicroUsd: number;
  pricingVersion: string;
}

export interface ModelPrice {
  /** ISO date from which this price applies (UTC midnight). */
  effectiveFrom: string;
  inputMicroUsdPerMillion: number;
  outputMicroUsdPerMillion: number;
}

type PricedProvider = 'openai' | 'anthropic';

const price = (effectiveFrom: string, inputUsdPerMillion: number, outputUsdPerMillion: number): ModelPrice => ({
  effectiveFrom,
  inputMicroUsdPerMillion: Math.round(inputUsdPerMillion * 1_000_000),
  outputMicroUsdPerMillion: Math.round(outputUsdPerMillion * 1_000_000),
});

/**
 * List prices (USD per million tokens, standard tier) as published by the providers when this table
 * was written; check them against the providers' pricing pages when adding a row.
 */
export const PRICING_TABLE: Record<PricedProvider, Record<string, readonly ModelPrice[]>> = {
  openai: {
    'gpt-4o': [price('2025-01-01', 2.5, 10)],
    'gpt-4o-mini': [price('2025-01-01', 0.15, 0.6)],
    'gpt-4.1': [price('2025-04-14', 2, 8)],
    'gpt-4.1-mini': [price('2025-04-14', 0.4, 1.6)],
    'gpt-4.1-nano': [price('2025-04-14', 0.1, 0.4)],
    'gpt-5': [price('2025-08-07', 1.25, 10)],
    'gpt-5-mini': [price('2025-08-07', 0.25, 2)],
    'gpt-5-nano': [price('2025-08-07', 0.05, 0.4)],
    'o3': [price('2025-06-10', 2, 8)],
    'o4-mini': [price('2025-04-16', 1.1, 4.4)],
  },
  anthropic: {
    'claude-3-5-haiku': [price('2025-01-01', 0.8, 4)],
    'claude-sonnet-4': [price('2025-05-22', 3, 15)],
    'claude-opus-4-1': [price('2025-08-05', 15, 75)],
    'claude-sonnet-4-5': [price('2025-09-29', 3, 15)],
    'claude-haiku-4-5': [price('2025-10-15', 1, 5)],
    'claude-opus-4-5': [price('2025-11-24', 5, 25)],
  },
};

const SNAPSHOT_SUFFIX = /^-(?:\d{4}-\d{2}-\d{2}|\d{8}|latest)$/;

function isPricedProvider(provider: string): provider is PricedProvider {
  return provider === 'openai' || provider === 'anthropic';
}

/** The table's name for `model`: itself, or the model a dated snapshot belongs to. */
function listedModel(provider: PricedProvider, model: string): string | undefined {
  const models = PRICING_TABLE[provider];
  if (Object.hasOwn(models, model)) return model;
  return Object.keys(models).find((name) => model.startsWith(name) && SNAPSHOT_SUFFIX.test(model.slice(name.length)));
}

function effectivePrice(rows: readonly ModelPrice[], at: Date): ModelPrice | undefined {
  const day = at.toISOString().slice(0, 10);
  return rows.filter((row) => row.effectiveFrom <= day).sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0];
}

/** A provider's highest current input and output prices, for models it has that the table lacks. */
function unlistedPrice(provider: PricedProvider, at: Date): ModelPrice {
  const current = Object.values(PRICING_TABLE[provider])
    .map((rows) => effectivePrice(rows, at))
    .filter((row): row is ModelPrice => row !== undefined);
  return {
    effectiveFrom: current.map((row) => row.effectiveFrom).sort().at(-1) ?? '1970-01-01',
    inputMicroUsdPerMillion: Math.max(0, ...current.map((row) => row.inputMicroUsdPerMillion)),
    outputMicroUsdPerMillion: Math.max(0, ...current.map((row) => row.outputMicroUsdPerMillion)),
  };
}

/** Token counts as exact non-negative integers, whatever a provider reported. */
function tokens(count: number): bigint {
  return Number.isFinite(count) && count > 0 ? BigInt(Math.round(count)) : 0n;
}

/** Exact cost in micro-dollars, rounded half up. */
export function costMicroUsd(usage: TokenUsage, row: Pick<ModelPrice, 'inputMicroUsdPerMillion' | 'outputMicroUsdPerMillion'>): number {
  const scaled = tokens(usage.inputTokens) * BigInt(row.inputMicroUsdPerMillion) + tokens(usage.outputTokens) * BigInt(row.outputMicroUsdPerMillion);
  return Number((scaled + 500_000n) / 1_000_000n);
}

export function priceUsage(provider: string, model: string, usage: TokenUsage, at: Date = new Date()): PricedUsage {
  if (provider === 'offline') return { costMicroUsd: 0, pricingVersion: 'offline' };
  if (!isPricedProvider(provider)) return { costMicroUsd: 0, pricingVersion: 'self-hosted' };
  const listed = listedModel(provider, model);
  const row = listed === undefined ? undefined : effectivePrice(PRICING_TABLE[provider][listed]!, at);
  if (listed !== undefined && row) {
    return { costMicroUsd: costMicroUsd(usage, row), pricingVersion: `${provider}/${listed}@${row.effectiveFrom}` };
  }
  const fallback = unlistedPrice(provider, at);
  return { costMicroUsd: costMicroUsd(usage, fallback), pricingVersion: `${provider}/unlisted@${fallback.effectiveFrom}` };
}

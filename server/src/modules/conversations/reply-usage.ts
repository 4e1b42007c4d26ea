import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { inTenant, type DeferredCounters } from '../../core/db/index.ts';
import { DomainError, parseId, parseInput } from '../../core/errors/index.ts';
import { Bot } from '../bots/index.ts';

/** What one assistant reply used; the message row carries the same numbers. */
export interface ReplyUsage {
  botId: string;
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
  latencyMs: number;
  timeToFirstTokenMs: number | null;
  cacheHit: boolean;
  /** Which provider and model answered (the message row's), for the per-model roll-up; omitted, only the bot's day counts. */
  provider?: string;
  model?: string;
}

/** One bot's replies on one UTC day, summed. */
export interface BotUsageDay {
  day: string;
  replies: number;
  cacheHits: number;
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
  averageLatencyMs: number | null;
  averageTimeToFirstTokenMs: number | null;
}

/** A roll-up range is at most a year, so an answer stays small. */
const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;
const DEFAULT_RANGE_DAYS = 30;
const isoDay = z.iso.date('must be a date, YYYY-MM-DD');
const optionalRangeSchema = z.object({ from: isoDay.nullish(), to: isoDay.nullish() });
/** A required UTC day range, inclusive, at most a year (analytics reads the same ranges). */
export const rangeSchema = z
  .object({ from: isoDay, to: isoDay })
  .refine((r) => r.from <= r.to, { path: ['from'], message: 'must not be after to' })
  .refine((r) => (Date.parse(r.to) - Date.parse(r.from)) / DAY_MS < MAX_RANGE_DAYS, {
    path: ['to'],
    message: `must be less than ${MAX_RANGE_DAYS} days after from`,
  });

export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/**
 * Adds one reply to its bot's daily roll-up when the transaction that stores the message commits
 * (DeferredCounters: written within a second; a crash loses at most that second, the messages keep
 * the same numbers).
 */
export function addReplyToDailyUsage(counters: DeferredCounters, tx: EntityManager, tenantId: string, usage: ReplyUsage, at: Date): void {
  counters.add(tx, {
    table: 'ai_usage_daily',
    key: { tenant_id: tenantId, bot_id: usage.botId, day: utcDay(at) },
    add: {
      replies: 1,
      cache_hits: usage.cacheHit ? 1 : 0,
      input_tokens: usage.inputTokens,
      output_tokens: usage.outputTokens,
      cost_micro_usd: usage.costMicroUsd,
      latency_ms_total: usage.latencyMs,
      first_token_ms_total: usage.timeToFirstTokenMs ?? 0,
      first_token_replies: usage.timeToFirstTokenMs !== null ? 1 : 0,
    },
  });
  if (!usage.provider || !usage.model) return;
  counters.add(tx, {
    table: 'ai_usage_model_daily',
    key: { tenant_id: tenantId, bot_id: usage.botId, day: utcDay(at), provider: usage.provider, model: usage.model },
    add: { replies: 1, input_tokens: usage.inputTokens, output_tokens: usage.outputTokens, cost_micro_usd: usage.costMicroUsd },
  });
}

interface DailyRow {
  day: string;
  replies: number;
  cache_hits: number;
  input_tokens: string;
  output_tokens: string;
  cost_micro_usd: string;
  latency_ms_total: string;
  first_token_ms_total: string;
  first_token_replies: number;
}

const average = (total: string, count: number): number | null => (count > 0 ? Math.round(Number(total) / count) : null);

/** The per-bot daily roll-ups, for owners, admins and analysts. */
export class BotUsageService {
  /** `flush` first: a reader sees every reply this process has counted. */
  constructor(private readonly counters?: Pick<DeferredCounters, 'flush'>) {}

  /** Days with replies in [from, to] (UTC, inclusive), oldest first; the last 30 days by default. */
  async daily(em: EntityManager, tenantId: string, botId: string, range: { from?: string | null; to?: string | null }): Promise<BotUsageDay[]> {
    const id = parseId(botId, 'botId');
    const given = parseInput(optionalRangeSchema, range);
    const to = given.to ?? utcDay(new Date());
    const from = given.from ?? utcDay(new Date(Date.parse(to) - (DEFAULT_RANGE_DAYS - 1) * DAY_MS));
    parseInput(rangeSchema, { from, to });
    await this.counters?.flush();
    return inTenant(em, tenantId, async (tx) => {
      if ((await tx.count(Bot, { id })) === 0) throw DomainError.notFound('Bot');
      const rows = await tx.execute<DailyRow[]>(
        `select to_char(day, 'YYYY-MM-DD') as day, replies, cache_hits, input_tokens, output_tokens, cost_micro_usd,
           latency_ms_total, first_token_ms_total, first_token_replies
         from ai_usage_daily where bot_id = ? and day between ? and ? order by day`,
        [id, from, to],
      );
      return rows.map((row) => ({
        day: row.day,
        replies: row.replies,
        cacheHits: row.cache_hits,
        inputTokens: Number(row.input_tokens),
        outputTokens: Number(row.output_tokens),
        costMicroUsd: Number(row.cost_micro_usd),
        averageLatencyMs: average(row.latency_ms_total, row.replies),
        averageTimeToFirstTokenMs: average(row.first_token_ms_total, row.first_token_replies),
      }));
    });
  }
}

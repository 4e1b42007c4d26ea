import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { Principal } from '../../core/auth/index.ts';
import { inTenant, type DeferredCounters } from '../../core/db/index.ts';
import { DomainError, parseId, parseInput } from '../../core/errors/index.ts';
import { Bot } from '../bots/index.ts';
import { dayRangeSchema, utcDay } from '../conversations/index.ts';
import { groupSimilarQuestions, MAX_GROUPED_QUESTIONS, type QuestionGroup } from './question-groups.ts';
import { mergeHistograms, TTFT_BUCKETS, ttftQuantile } from './ttft-histogram.ts';

/** Visitors' ratings: 👍/👎 on answers and the conversation ratings (CSAT, 1–5). */
export interface FeedbackFigures {
  helpfulAnswers: number;
  unhelpfulAnswers: number;
  /** 👍 as a share (0..1) of the rated answers; null without any. */
  helpfulShare: number | null;
  csatResponses: number;
  /** The mean conversation rating (1–5, two decimals); null without ratings. */
  csatAverage: number | null;
  /** Ratings of 4 or 5 as a share (0..1) of all ratings (the usual CSAT score); null without ratings. */
  csatSatisfiedShare: number | null;
  /** How many conversations were rated 1, 2, 3, 4 and 5. */
  csatDistribution: number[];
}

export interface SentimentCounts {
  positive: number;
  neutral: number;
  negative: number;
}

/** What happened over a day or a period, for one bot or a whole tenant. */
export interface AnalyticsFigures {
  conversations: number;
  /** Visitor, assistant and agent messages. */
  messages: number;
  visitorMessages: number;
  uniqueVisitors: number;
  ttftMedianMs: number | null;
  ttftP95Ms: number | null;
  handedOffConversations: number;
  /** Conversations never handed to a person, as a share (0..1) of conversations; null without any. */
  resolvedWithoutHandoffShare: number | null;
  sentiment: SentimentCounts;
  leads: number;
  unansweredQuestions: number;
  costUsd: number;
  feedback: FeedbackFigures;
}

export interface AnalyticsDay extends AnalyticsFigures {
  day: string;
}

export interface AnalyticsReport {
  from: string;
  to: string;
  days: AnalyticsDay[];
  totals: AnalyticsFigures;
}

export interface UnansweredQuestion {
  question: string;
  unanswered: number;
  asked: number;
  /** The best retrieval score any reply to it had (0..1 cosine); null when none was measured. */
  bestScore: number | null;
  lastAskedAt: Date;
}

export interface PlatformTenantAnalytics {
  tenantId: string;
  tenantName: string;
  plan: string;
  bots: number;
  conversations: number;
  messages: number;
  uniqueVisitors: number;
  handedOffConversations: number;
  leads: number;
  costUsd: number;
}

export interface PlatformAnalytics {
  from: string;
  to: string;
  tenants: PlatformTenantAnalytics[];
}

export interface DayRange {
  from: string;
  to: string;
}

const topQuestionsSchema = z.object({ limit: z.int().min(1, 'must be at least 1').max(50, 'must be at most 50') });
const unansweredSchema = z.object({ first: z.int().min(1, 'must be at least 1').max(100, 'must be at most 100') });

/** Counter sums of `analytics_daily` per day (across bots for a tenant); a day without rows is zeroed by the report's outer join. */
const DAY_SUMS = `
  sum(d.conversations)::int as conversations,
  sum(d.visitor_messages)::int as visitor_messages,
  sum(d.visitor_messages + d.assistant_messages + d.agent_messages)::int as messages,
  sum(d.handed_off_conversations)::int as handed_off,
  sum(d.leads)::int as leads,
  sum(d.unanswered_questions)::int as unanswered,
  sum(d.sentiment_positive)::int as positive,
  sum(d.sentiment_neutral)::int as neutral,
  sum(d.sentiment_negative)::int as negative,
  sum(d.helpful_answers)::int as helpful,
  sum(d.unhelpful_answers)::int as unhelpful,
  sum(d.csat_1)::int as csat_1, sum(d.csat_2)::int as csat_2, sum(d.csat_3)::int as csat_3,
  sum(d.csat_4)::int as csat_4, sum(d.csat_5)::int as csat_5`;

interface DayRow {
  day: string;
  conversations: number;
  visitor_messages: number;
  messages: number;
  handed_off: number;
  leads: number;
  unanswered: number;
  positive: number;
  neutral: number;
  negative: number;
  helpful: number;
  unhelpful: number;
  csat_1: number;
  csat_2: number;
  csat_3: number;
  csat_4: number;
  csat_5: number;
  unique_visitors: number;
  cost_micro_usd: string;
}

/** The counters of a DayRow that add up over a period (unique visitors do not; the cost is a bigint string). */
const SUMMED_COUNTERS = [
  'conversations', 'visitor_messages', 'messages', 'handed_off', 'leads', 'unanswered', 'positive', 'neutral', 'negative',
  'helpful', 'unhelpful', 'csat_1', 'csat_2', 'csat_3', 'csat_4', 'csat_5',
] as const;
type SummedCounter = (typeof SUMMED_COUNTERS)[number];
/** What figures() reads of a day or a period, besides its histogram and unique visitors. */
type Counts = Pick<DayRow, SummedCounter | 'cost_micro_usd'>;

const MICRO = 1_000_000;
const share = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/** One provider's model over a period: its replies, tokens and cost. */
export interface ModelCost {
  provider: string;
  model: string;
  replies: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/**
 * Reads the pre-aggregated analytics (analytics-recorder.ts writes them). A report over any range up
 * to a year reads at most one row per bot and day plus the day's visitors, never the messages.
 */
export class AnalyticsService {
  /** The daily counters are written once a second (DeferredCounters); reports flush this process's first. */
  constructor(private readonly counters?: Pick<DeferredCounters, 'flush'>) {}

  /** One bot's figures per UTC day in [from, to] (every day, zeros included) and for the whole period. */
  async botReport(em: EntityManager, tenantId: string, botId: string, range: DayRange): Promise<AnalyticsReport> {
    const id = parseId(botId, 'botId');
    await this.counters?.flush();
    return inTenant(em, tenantId, async (tx) => {
      await this.assertBot(tx, id);
      return this.report(tx, tenantId, id, parseInput(dayRangeSchema, range));
    });
  }

  /** The same across every bot of the tenant (a visitor of two bots counts once). */
  async tenantReport(em: EntityManager, tenantId: string, range: DayRange): Promise<AnalyticsReport> {
    const days = parseInput(dayRangeSchema, range);
    await this.counters?.flush();
    return inTenant(em, tenantId, (tx) => this.report(tx, tenantId, null, days));
  }

  /** Today's figures (UTC) for one bot: what the live counters show. */
  async botToday(em: EntityManager, tenantId: string, botId: string): Promise<AnalyticsDay> {
    const today = utcDay(new Date());
    const report = await this.botReport(em, tenantId, botId, { from: today, to: today });
    return report.days[0]!;
  }

  /**
   * AI replies and their cost per provider and model in the period, for one bot or the tenant, most
   * expensive first: from `ai_usage_model_daily` (one row per bot, day and model), never the messages.
   */
  async costsByModel(em: EntityManager, tenantId: string, botId: string | null, range: DayRange): Promise<ModelCost[]> {
    const id = botId ? parseId(botId, 'botId') : null;
    await this.counters?.flush();
    return inTenant(em, tenantId, async (tx) => {
      if (id) await this.assertBot(tx, id);
      const days = parseInput(dayRangeSchema, range);
      const rows = await tx.execute<{ provider: string; model: string; replies: string; input_tokens: string; output_tokens: string; cost_micro_usd: string }[]>(
        `select provider, model, sum(replies) as replies, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
           sum(cost_micro_usd) as cost_micro_usd
         from ai_usage_model_daily where tenant_id = ? and day between ? and ? ${id ? 'and bot_id = ?' : ''}
         group by provider, model order by sum(cost_micro_usd) desc, provider, model`,
        [tenantId, days.from, days.to, ...(id ? [id] : [])],
      );
      return rows.map((r) => ({
        provider: r.provider,
        model: r.model,
        replies: Number(r.replies),
        inputTokens: Number(r.input_tokens),
        outputTokens: Number(r.output_tokens),
        costUsd: Number(r.cost_micro_usd) / 1_000_000,
      }));
    });
  }

  /** The bot's visitor questions in the period, grouped by meaning, most asked first. */
  async topQuestions(em: EntityManager, tenantId: string, botId: string, range: DayRange, limit: number): Promise<QuestionGroup[]> {
    const id = parseId(botId, 'botId');
    const counted = await inTenant(em, tenantId, async (tx) => {
      await this.assertBot(tx, id);
      const days = parseInput(dayRangeSchema, range);
      parseInput(topQuestionsSchema, { limit });
      return tx.execute<{ question: string; asked: number; unanswered: number }[]>(
        // Wordings of one key differ only in case and punctuation: any of them represents it.
        `select max(question) as question, sum(asked)::int as asked, sum(unanswered)::int as unanswered
           from analytics_question_day
          where tenant_id = ? and bot_id = ? and day between ? and ?
          group by question_hash order by sum(asked) desc limit ?`,
        [tenantId, id, days.from, days.to, MAX_GROUPED_QUESTIONS],
      );
    });
    return groupSimilarQuestions(counted.map((row) => ({ text: row.question, asked: row.asked, unanswered: row.unanswered })), limit);
  }

  /** Questions the bot could not answer from its knowledge in the period, most often first. */
  async unansweredQuestions(em: EntityManager, tenantId: string, botId: string, range: DayRange, first: number): Promise<UnansweredQuestion[]> {
    const id = parseId(botId, 'botId');
    return inTenant(em, tenantId, async (tx) => {
      await this.assertBot(tx, id);
      const days = parseInput(dayRangeSchema, range);
      parseInput(unansweredSchema, { first });
      const rows = await tx.execute<{ question: string; unanswered: number; asked: number; best_score: number | null; last_asked_at: Date | string }[]>(
        `select max(question) as question, sum(unanswered)::int as unanswered, sum(asked)::int as asked,
                max(best_score) as best_score, max(last_asked_at) as last_asked_at
           from analytics_question_day
          where tenant_id = ? and bot_id = ? and day between ? and ? and unanswered > 0
          group by question_hash order by sum(unanswered) desc, max(last_asked_at) desc limit ?`,
        [tenantId, id, days.from, days.to, first],
      );
      return rows.map((row) => ({
        question: row.question,
        unanswered: row.unanswered,
        asked: row.asked,
        bestScore: row.best_score === null ? null : Math.round(row.best_score * 1000) / 1000,
        lastAskedAt: new Date(row.last_asked_at),
      }));
    });
  }

  /**
   * Every tenant's totals, for the operators of the installation. Row-level security keeps the app
   * role inside one tenant, so the figures come from a SECURITY DEFINER function that returns sums
   * only; who may call it is decided here, from the database, on every request.
   */
  async platform(em: EntityManager, principal: Principal, range: DayRange): Promise<PlatformAnalytics> {
    if (principal.kind !== 'user') {
      throw principal.kind === 'apiKey'
        ? DomainError.forbidden('Platform analytics are for platform admins signed in, not API keys.')
        : DomainError.unauthenticated();
    }
    const days = parseInput(dayRangeSchema, range);
    await this.counters?.flush();
    const [user] = await em.execute<{ is_platform_admin: boolean }[]>(
      'select is_platform_admin from app_user where id = ?',
      [principal.userId],
    );
    if (!user?.is_platform_admin) throw DomainError.forbidden('Only platform admins see analytics across tenants.');
    const rows = await em.execute<{
      tenant_id: string; tenant_name: string; plan: string; bots: string; conversations: string; messages: string;
      unique_visitors: string; handed_off_conversations: string; leads: string; cost_micro_usd: string;
    }[]>('select * from mascot_platform_analytics(?, ?)', [days.from, days.to]);
    return {
      ...days,
      tenants: rows.map((row) => ({
        tenantId: row.tenant_id,
        tenantName: row.tenant_name,
        plan: row.plan,
        bots: Number(row.bots),
        conversations: Number(row.conversations),
        messages: Number(row.messages),
        uniqueVisitors: Number(row.unique_visitors),
        handedOffConversations: Number(row.handed_off_conversations),
        leads: Number(row.leads),
        costUsd: Number(row.cost_micro_usd) / MICRO,
      })),
    };
  }

  /** The bot is looked up before the range is checked: another tenant's bot is NOT_FOUND whatever else is wrong. */
  private async assertBot(tx: EntityManager, id: string): Promise<void> {
    if ((await tx.count(Bot, { id })) === 0) throw DomainError.notFound('Bot');
  }

  private async report(tx: EntityManager, tenantId: string, botId: string | null, range: DayRange): Promise<AnalyticsReport> {
    const scope = botId ? 'and bot_id = ?' : '';
    const scopeParams = botId ? [botId] : [];
    const params = [tenantId, ...scopeParams, range.from, range.to];
    const dayRows = await tx.execute<DayRow[]>(
      `with days as (select to_char(g, 'YYYY-MM-DD') as day, g::date as date from generate_series(?::date, ?::date, interval '1 day') g),
       sums as (
         select d.day, ${DAY_SUMS} from analytics_daily d
          where tenant_id = ? ${scope} and day between ? and ? group by d.day
       ), visitors as (
         select day, count(distinct visitor_key)::int as unique_visitors from analytics_visitor_day
          where tenant_id = ? ${scope} and day between ? and ? group by day
       ), costs as (
         select day, sum(cost_micro_usd) as cost_micro_usd from ai_usage_daily
          where tenant_id = ? ${scope} and day between ? and ? group by day
       )
       select days.day, coalesce(s.conversations, 0) as conversations, coalesce(s.visitor_messages, 0) as visitor_messages,
              coalesce(s.messages, 0) as messages, coalesce(s.handed_off, 0) as handed_off, coalesce(s.leads, 0) as leads,
              coalesce(s.unanswered, 0) as unanswered, coalesce(s.positive, 0) as positive, coalesce(s.neutral, 0) as neutral,
              coalesce(s.negative, 0) as negative, coalesce(s.helpful, 0) as helpful, coalesce(s.unhelpful, 0) as unhelpful,
              coalesce(s.csat_1, 0) as csat_1, coalesce(s.csat_2, 0) as csat_2, coalesce(s.csat_3, 0) as csat_3,
              coalesce(s.csat_4, 0) as csat_4, coalesce(s.csat_5, 0) as csat_5, coalesce(v.unique_visitors, 0) as unique_visitors,
              coalesce(c.cost_micro_usd, 0) as cost_micro_usd
         from days
         left join sums s on s.day = days.date
         left join visitors v on v.day = days.date
         left join costs c on c.day = days.date
        order by days.day`,
      [range.from, range.to, ...params, ...params, ...params],
    );
    // The histograms are merged here: unnesting them in SQL costs more than sending the arrays (measured).
    const histogramRows = await tx.execute<{ day: string; ttft_histogram: number[] }[]>(
      `select to_char(day, 'YYYY-MM-DD') as day, ttft_histogram from analytics_daily
        where tenant_id = ? ${scope} and day between ? and ? and ttft_histogram <> array_fill(0, array[${TTFT_BUCKETS}])`,
      params,
    );
    // Grouping first lets PostgreSQL hash the keys; count(distinct …) would sort them all (3× slower at 100k rows).
    const [visitors] = await tx.execute<{ unique_visitors: number }[]>(
      `select count(*)::int as unique_visitors from (
         select visitor_key from analytics_visitor_day where tenant_id = ? ${scope} and day between ? and ? group by visitor_key) v`,
      params,
    );
    const histogramsOfDay = new Map<string, number[][]>();
    for (const row of histogramRows) {
      const ofDay = histogramsOfDay.get(row.day);
      if (ofDay) ofDay.push(row.ttft_histogram);
      else histogramsOfDay.set(row.day, [row.ttft_histogram]);
    }
    const days = dayRows.map((row) => ({ day: row.day, ...figures(row, mergeHistograms(histogramsOfDay.get(row.day) ?? []), row.unique_visitors) }));
    const total = Object.fromEntries(SUMMED_COUNTERS.map((counter) => [counter, dayRows.reduce((sum, row) => sum + row[counter], 0)])) as
      Record<SummedCounter, number>;
    const cost = dayRows.reduce((sum, row) => sum + BigInt(row.cost_micro_usd), 0n);
    return {
      ...range,
      days,
      totals: figures({ ...total, cost_micro_usd: String(cost) }, mergeHistograms(histogramRows.map((row) => row.ttft_histogram)), visitors?.unique_visitors ?? 0),
    };
  }
}

function figures(row: Counts, histogram: readonly number[], uniqueVisitors: number): AnalyticsFigures {
  return {
    conversations: row.conversations,
    messages: row.messages,
    visitorMessages: row.visitor_messages,
    uniqueVisitors,
    ttftMedianMs: ttftQuantile(histogram, 0.5),
    ttftP95Ms: ttftQuantile(histogram, 0.95),
    handedOffConversations: row.handed_off,
    resolvedWithoutHandoffShare: share(row.conversations - row.handed_off, row.conversations),
    sentiment: { positive: row.positive, neutral: row.neutral, negative: row.negative },
    leads: row.leads,
    unansweredQuestions: row.unanswered,
    costUsd: Number(row.cost_micro_usd) / MICRO,
    feedback: feedbackFigures(row),
  };
}

function feedbackFigures(row: Counts): FeedbackFigures {
  const distribution = [row.csat_1, row.csat_2, row.csat_3, row.csat_4, row.csat_5];
  const responses = distribution.reduce((sum, count) => sum + count, 0);
  const points = distribution.reduce((sum, count, i) => sum + count * (i + 1), 0);
  return {
    helpfulAnswers: row.helpful,
    unhelpfulAnswers: row.unhelpful,
    helpfulShare: share(row.helpful, row.helpful + row.unhelpful),
    csatResponses: responses,
    csatAverage: responses > 0 ? Math.round((points / responses) * 100) / 100 : null,
    csatSatisfiedShare: share(row.csat_4 + row.csat_5, responses),
    csatDistribution: distribution,
  };
}

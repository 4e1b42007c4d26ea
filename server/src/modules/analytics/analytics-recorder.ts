import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { subjects } from '@mascot/events';
import type { MessageBus } from '../../core/bus/index.ts';
import type { DeferredCounters, FlushedRows } from '../../core/db/index.ts';
import type { DomainEvent, DomainEventOutbox } from '../../core/events/index.ts';
import type { Logger } from '../../core/logging/index.ts';
import { sentimentOf, utcDay } from '../conversations/index.ts';
import { analyticsQuestion } from './question-text.ts';
import { TTFT_BUCKETS, ttftBucket } from './ttft-histogram.ts';

/** Visitor messages whose question row is remembered for their reply (a few minutes of a busy instance). */
const MAX_RECENT_QUESTIONS = 10_000;

/** Visitor sentiment (wink-nlp, -1..1) at or beyond these counts as positive or negative; between, neutral. */
export const POSITIVE_SENTIMENT = 0.25;
export const NEGATIVE_SENTIMENT = -0.25;

/** The counters of `analytics_daily` an event may add to (column names, never user input). */
type Counter =
  | 'conversations'
  | 'visitor_messages'
  | 'assistant_messages'
  | 'agent_messages'
  | 'handed_off_conversations'
  | 'leads'
  | 'unanswered_questions'
  | 'sentiment_positive'
  | 'sentiment_neutral'
  | 'sentiment_negative'
  | FeedbackCounter;

const conversationStarted = z.object({ conversationId: z.uuid(), botId: z.uuid() });
const messageCreated = z.object({
  conversationId: z.uuid(), botId: z.uuid(), messageId: z.uuid(), role: z.string(), text: z.string(), createdAt: z.iso.datetime(),
});
const replyCompleted = z.object({
  conversationId: z.uuid(),
  botId: z.uuid(),
  createdAt: z.iso.datetime(),
  timeToFirstTokenMs: z.number().nullable(),
  retrievalConfident: z.boolean(),
  bestRetrievalScore: z.number().nullable(),
  questionMessageId: z.uuid().nullable(),
});
// `updatedAt` (lead.captured): when the details were given, which is the day a lead counts on.
const conversationChanged = z.object({ conversationId: z.uuid(), botId: z.uuid(), updatedAt: z.iso.datetime().optional() });
/** `feedback.submitted` (conversations/feedback.service.ts): the rating now and the one it replaced. */
const feedbackSubmitted = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('answer'), botId: z.uuid(), createdAt: z.iso.datetime(), helpful: z.boolean(), previousHelpful: z.boolean().nullable() }),
  z.object({ kind: z.literal('conversation'), botId: z.uuid(), createdAt: z.iso.datetime(), rating: z.int().min(1).max(5), previousRating: z.int().min(1).max(5).nullable() }),
]);
type FeedbackCounter = 'helpful_answers' | 'unhelpful_answers' | 'csat_1' | 'csat_2' | 'csat_3' | 'csat_4' | 'csat_5';

/**
 * Keeps the pre-aggregated analytics: a DomainEventOutbox, so every event is counted by the transaction
 * that records it (and thus the change itself). A rolled-back message never counts and a stored one does;
 * nothing here needs deduplication beyond "once per conversation" facts (handoff, lead), which
 * `analytics_conversation` flags. The per-day counters every message of a bot adds to (`analytics_daily`)
 * go through DeferredCounters: summed in memory after the commit and written once a second, instead of a
 * row lock that every message and reply of the bot held until commit. Per-conversation and per-question
 * rows are written in the transaction.
 *
 * When counters are written, live subscribers hear that a bot's figures changed (`subjects.botAnalytics`).
 */
/**
 * The conversation's visitor is active that day: its widget visitor id, or the conversation itself
 * without one. Written inside the statements that count a conversation start and a visitor message.
 */
const VISITOR_DAY_INSERT = 'insert into analytics_visitor_day (tenant_id, bot_id, day, visitor_key)';
const VISITOR_KEY = "coalesce(conversation.visitor_id, 'c:' || conversation.id::text)";

export class AnalyticsRecorder implements DomainEventOutbox {
  /**
   * The question-day row of each recent visitor message, so the reply that answers it (almost always
   * produced by this instance: replies run where the message was sent) marks it without reading the
   * message again. Bounded; a miss reads the message.
   */
  private readonly recentQuestions = new Map<string, { day: string; hash: string }>();

  constructor(
    private readonly bus: MessageBus,
    private readonly logger: Logger,
    private readonly counters: DeferredCounters,
  ) {
    counters.onFlushed((rows) => this.announce(rows));
  }

  async record(tx: EntityManager, tenantId: string, event: DomainEvent): Promise<void> {
    switch (event.type) {
      case 'conversation.started':
        return this.when(conversationStarted, event, (data) => this.conversationStarted(tx, tenantId, data));
      case 'message.created':
        return this.when(messageCreated, event, (data) => this.messageCreated(tx, tenantId, data));
      case 'reply.completed':
        return this.when(replyCompleted, event, (data) => this.replyCompleted(tx, tenantId, data));
      case 'handoff.requested':
        return this.when(conversationChanged, event, (data) => this.countOncePerConversation(tx, tenantId, data, 'handed_off', 'handed_off_conversations'));
      case 'lead.captured':
        return this.when(conversationChanged, event, (data) => this.countOncePerConversation(tx, tenantId, data, 'gave_lead', 'leads'));
      case 'feedback.submitted':
        return this.when(feedbackSubmitted, event, (data) => this.feedbackSubmitted(tx, tenantId, data));
      default:
        return;
    }
  }

  /** An event whose data does not have the expected shape is logged and left uncounted: a visitor's message must not fail over a statistic. */
  private async when<T>(schema: z.ZodType<T>, event: DomainEvent, count: (data: T) => Promise<void>): Promise<void> {
    const parsed = schema.safeParse(event.data);
    if (parsed.success) return count(parsed.data);
    this.logger.error({ type: event.type, issues: parsed.error.issues }, 'domain event with unexpected data; analytics skipped it');
  }

  private async conversationStarted(tx: EntityManager, tenantId: string, data: z.infer<typeof conversationStarted>): Promise<void> {
    // The conversation and its visitor's day in one statement (a data-modifying WITH runs to completion
    // whether or not the outer query reads it): one round trip per conversation start, not two.
    const [row] = await tx.execute<{ day: string }[]>(
      `with started as (
         insert into analytics_conversation (conversation_id, tenant_id, bot_id, day)
         select c.id, c.tenant_id, c.bot_id, (c.created_at at time zone 'UTC')::date from conversation c where c.id = ?
         on conflict (conversation_id) do nothing
         returning day
       ), visitor as (
         ${VISITOR_DAY_INSERT} select ?, ?, started.day, ${VISITOR_KEY} from started, conversation where conversation.id = ? on conflict do nothing
       )
       select to_char(day, 'YYYY-MM-DD') as day from started`,
      [data.conversationId, tenantId, data.botId, data.conversationId],
    );
    if (!row) return;
    this.add(tx, tenantId, data.botId, row.day, { conversations: 1 });
  }

  private async messageCreated(tx: EntityManager, tenantId: string, data: z.infer<typeof messageCreated>): Promise<void> {
    const day = utcDay(new Date(data.createdAt));
    if (data.role === 'AGENT') return this.add(tx, tenantId, data.botId, day, { agent_messages: 1 });
    if (data.role !== 'VISITOR') return;
    const sentiment = sentimentOf(data.text);
    const mood: Counter = sentiment >= POSITIVE_SENTIMENT ? 'sentiment_positive' : sentiment <= NEGATIVE_SENTIMENT ? 'sentiment_negative' : 'sentiment_neutral';
    this.add(tx, tenantId, data.botId, day, { visitor_messages: 1, [mood]: 1 });
    const question = analyticsQuestion(data.text);
    this.rememberQuestion(data.messageId, { day, hash: question.hash });
    // The visitor's day and the question's in one statement: one round trip per visitor message, not two.
    await tx.execute(
      `with visitor as (
         ${VISITOR_DAY_INSERT} select ?, ?, ?, ${VISITOR_KEY} from conversation where id = ? on conflict do nothing
       )
       insert into analytics_question_day as q (tenant_id, bot_id, day, question_hash, question, asked, last_asked_at)
       values (?, ?, ?, ?, ?, 1, ?)
       on conflict (tenant_id, bot_id, day, question_hash) do update set
         asked = q.asked + 1, question = excluded.question, last_asked_at = greatest(q.last_asked_at, excluded.last_asked_at)`,
      [tenantId, data.botId, day, data.conversationId, tenantId, data.botId, day, question.hash, question.text, data.createdAt],
    );
  }

  /**
   * An assistant reply: its time to first token joins the day's histogram; a reply retrieval found
   * nothing relevant for (below the handoff threshold) marks its question unanswered.
   */
  private async replyCompleted(tx: EntityManager, tenantId: string, data: z.infer<typeof replyCompleted>): Promise<void> {
    const day = utcDay(new Date(data.createdAt));
    // The issue's measure is the retrieval score: a question no passage matched well is a gap in the
    // knowledge even when the reply managed to cite something weak (a reply not grounded at all had no
    // such passage either, so `knowledgeFound` adds nothing).
    const unanswered = !data.retrievalConfident;
    let histogram: number[] | undefined;
    if (data.timeToFirstTokenMs !== null) {
      histogram = new Array<number>(TTFT_BUCKETS).fill(0);
      histogram[ttftBucket(data.timeToFirstTokenMs)] = 1;
    }
    this.add(tx, tenantId, data.botId, day, { assistant_messages: 1, ...(unanswered ? { unanswered_questions: 1 } : {}) }, histogram);
    if (!data.questionMessageId) return;
    const question = await this.questionOf(tx, data.questionMessageId);
    if (!question) return;
    await tx.execute(
      `update analytics_question_day set unanswered = unanswered + ?, best_score = greatest(best_score, ?)
       where tenant_id = ? and bot_id = ? and day = ? and question_hash = ?`,
      [unanswered ? 1 : 0, data.bestRetrievalScore ?? null, tenantId, data.botId, question.day, question.hash],
    );
  }

  private rememberQuestion(messageId: string, question: { day: string; hash: string }): void {
    if (this.recentQuestions.size >= MAX_RECENT_QUESTIONS) this.recentQuestions.delete(this.recentQuestions.keys().next().value!);
    this.recentQuestions.set(messageId, question);
  }

  /** The question-day row of a visitor message: remembered when it was counted, else read from the message. */
  private async questionOf(tx: EntityManager, messageId: string): Promise<{ day: string; hash: string } | null> {
    const remembered = this.recentQuestions.get(messageId);
    if (remembered) {
      this.recentQuestions.delete(messageId);
      return remembered;
    }
    const [message] = await tx.execute<{ text: string; day: string }[]>(
      `select text, to_char((created_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day from message where id = ? and role = 'VISITOR'`,
      [messageId],
    );
    return message ? { day: message.day, hash: analyticsQuestion(message.text).hash } : null;
  }

  /** A fact that counts once per conversation (handed off, gave a lead), on the day it first happened. */
  private async countOncePerConversation(
    tx: EntityManager,
    tenantId: string,
    data: z.infer<typeof conversationChanged>,
    flag: 'handed_off' | 'gave_lead',
    counter: Counter,
  ): Promise<void> {
    const flipped = await tx.execute<{ day: string }[]>(
      `update analytics_conversation set ${flag} = true where conversation_id = ? and not ${flag}
       returning to_char(day, 'YYYY-MM-DD') as day`,
      [data.conversationId],
    );
    if (flipped.length === 0) return;
    // Handoffs count on the conversation's first day (so the share of conversations resolved without one
    // stays between 0 and 1); leads on the day they were given.
    this.add(tx, tenantId, data.botId, flag === 'handed_off' ? flipped[0]!.day : utcDay(data.updatedAt ? new Date(data.updatedAt) : new Date()), { [counter]: 1 });
  }

  /**
   * A rating counts on the day it was first given; a changed rating moves that day's count from the
   * old value to the new one, so the counters always equal the stored feedback.
   */
  private async feedbackSubmitted(tx: EntityManager, tenantId: string, data: z.infer<typeof feedbackSubmitted>): Promise<void> {
    const column = (value: boolean | number): FeedbackCounter =>
      typeof value === 'boolean' ? (value ? 'helpful_answers' : 'unhelpful_answers') : (`csat_${value}` as FeedbackCounter);
    const [now, before] = data.kind === 'answer' ? [data.helpful, data.previousHelpful] : [data.rating, data.previousRating];
    if (now === before) return;
    const counts: Partial<Record<Counter, number>> = { [column(now)]: 1 };
    if (before !== null) counts[column(before)] = -1;
    this.add(tx, tenantId, data.botId, utcDay(new Date(data.createdAt)), counts);
  }


  /** Adds to a day's counters when the transaction commits (DeferredCounters; the TTFT histogram element-wise). */
  private add(tx: EntityManager, tenantId: string, botId: string, day: string, counts: Partial<Record<Counter, number>>, ttftHistogram?: number[]): void {
    this.counters.add(tx, {
      table: 'analytics_daily',
      key: { tenant_id: tenantId, bot_id: botId, day },
      add: counts as Record<string, number>,
      ...(ttftHistogram ? { addArrays: { ttft_histogram: ttftHistogram } } : {}),
    });
  }

  /** Live subscribers re-read the figures when told, so they are told once the counters are stored. */
  private announce(rows: FlushedRows): void {
    const bots = new Map<string, string>();
    for (const row of rows) if (row.table === 'analytics_daily') bots.set(row.key['bot_id']!, row.key['tenant_id']!);
    for (const [bot, tenant] of bots) {
      // The change is stored; a lost notice only delays a live view until the next one.
      this.bus.publish(subjects.botAnalytics(tenant, bot), { botId: bot }).catch((error: unknown) =>
        this.logger.warn({ err: error, botId: bot }, 'could not announce changed analytics'),
      );
    }
  }
}

/** One outbox recording each event both for webhooks and for analytics, in the same transaction. */
export function withAnalytics(outbox: DomainEventOutbox, analytics: AnalyticsRecorder): DomainEventOutbox {
  return {
    async record(tx, tenantId, event) {
      await analytics.record(tx, tenantId, event);
      await outbox.record(tx, tenantId, event);
    },
  };
}

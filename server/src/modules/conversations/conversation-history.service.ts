import type { EntityManager } from '@mikro-orm/postgresql';
import { raw } from '@mikro-orm/core';
import type { ConversationStatus, HandoffReason, ReplyMessage } from '@mascot/events';
import { z } from 'zod';
import type { VisitorPrincipal } from '../../core/auth/index.ts';
import { inTenant, keysetQuery, lazily, toKeysetPage, type KeysetOrder, type KeysetRequest, type Page } from '../../core/db/index.ts';
import { DomainError, parseId, parseInput } from '../../core/errors/index.ts';
import { Bot } from '../bots/index.ts';
import { Conversation } from './conversation.entity.ts';
import { ConversationRating } from './feedback.entity.ts';
import { Lead } from './lead.entity.ts';
import { toReplyMessage } from './message-dto.ts';
import { CHAT_TURNS, Message, type SystemNotice } from './message.entity.ts';

/** What a conversation list may be narrowed to; every condition given must hold. */
export interface ConversationFilter {
  botId?: string | null;
  status?: ConversationStatus | null;
  /** Started at or after. */
  from?: Date | null;
  /** Started before. */
  to?: Date | null;
  /** People were involved: waiting for or with a person now, or an agent joined or wrote in it. */
  handedOff?: boolean | null;
  hasLead?: boolean | null;
  /** Text some message contains, case-insensitive. */
  search?: string | null;
  /** One visitor's conversations: the anonymous id the widget keeps per visitor and site. */
  visitorId?: string | null;
  /** Closed by an agent (conversation-closing.ts), or open. */
  closed?: boolean | null;
  /** Some answer got a 👍 (HELPFUL) or a 👎 (UNHELPFUL). */
  feedback?: 'HELPFUL' | 'UNHELPFUL' | null;
}

export interface ConversationOrder {
  field: 'STARTED_AT' | 'LAST_MESSAGE_AT';
  direction: 'ASC' | 'DESC';
}

export const DEFAULT_CONVERSATION_ORDER: ConversationOrder = { field: 'STARTED_AT', direction: 'DESC' };

/** A conversation as members and partners read it: the row, its bot's name and what hangs off it. */
export interface ConversationView {
  id: string;
  bot: { id: string; name: string };
  visitorId: string | null;
  status: ConversationStatus;
  handoff: { offeredAt: Date | null; requestedAt: Date | null; reason: HandoffReason | null; accepted: boolean };
  agent: { userId: string | null; apiKeyId: string | null; name: string } | null;
  variantId: string | null;
  hostOrigin: string | null;
  startedAt: Date;
  lastMessageAt: Date;
  messageCount: number;
  hasLead: boolean;
  /** Contact details: the resolver hands it out only to those who may read leads. */
  lead: Lead | null;
  rating: ConversationRating | null;
  closedAt: Date | null;
}

/** A stored message with what members may know about it (usage and cost of assistant replies). */
export interface ConversationMessageView {
  id: string;
  role: Message['role'];
  text: string;
  createdAt: Date;
  sources: Message['sources'];
  authorName: string | null;
  authorUserId: string | null;
  /** What a SYSTEM message records (handoff changes); null on chat turns. */
  notice: SystemNotice | null;
  usage: {
    provider: string | null;
    model: string | null;
    inputTokens: number | null;
    outputTokens: number | null;
    costMicroUsd: number | null;
    cacheHit: boolean;
    latencyMs: number | null;
    timeToFirstTokenMs: number | null;
  } | null;
  sentiment: number | null;
}

const MIN_SEARCH = 2;
const MAX_SEARCH = 200;

const filterSchema = z
  .object({
    botId: z.string().nullish(),
    status: z.enum(['BOT', 'WAITING_FOR_AGENT', 'WITH_AGENT']).nullish(),
    from: z.date().nullish(),
    to: z.date().nullish(),
    handedOff: z.boolean().nullish(),
    hasLead: z.boolean().nullish(),
    search: z
      .string()
      .trim()
      .min(MIN_SEARCH, `must be at least ${MIN_SEARCH} characters`)
      .max(MAX_SEARCH, `must be at most ${MAX_SEARCH} characters`)
      .nullish(),
    // The widget's visitor ids (startConversation): 8-64 of A-Z a-z 0-9 _ -.
    visitorId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 of A-Z a-z 0-9 _ -').nullish(),
    closed: z.boolean().nullish(),
    feedback: z.enum(['HELPFUL', 'UNHELPFUL']).nullish(),
  })
  .refine((f) => !f.from || !f.to || f.from < f.to, { path: ['to'], message: 'must be after from' });

const TIME_FIELD = { STARTED_AT: 'createdAt', LAST_MESSAGE_AT: 'lastMessageAt' } as const;

/** Messages read oldest first: a transcript, and `last: n` is the latest n. */
const MESSAGE_ORDER: KeysetOrder = { timeField: 'createdAt', direction: 'asc' };

/** Empty texts are placeholders, never shown (the same rule as the visitor's transcript). */
const SHOWN = { text: { $ne: '' } } as const;

/** LIKE's wildcards and escape character taken literally: a search for "100%" finds "100%", not "100" and more. */
const likePattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The ORM condition for a filter. Built anew for every query: MikroORM consumes a raw fragment's key once.
 *
 * `search` is an EXISTS with ILIKE over the conversation's messages. At this scale that is the simple,
 * index-friendly choice: the other conditions and the keyset narrow the conversations through the
 * (tenant, bot, started) indexes first, and each candidate's messages are one range of
 * `message_conversation_idx`, scanned until the first match (EXISTS stops there); PostgreSQL reads the
 * candidates in page order and stops after `first + 1` hits. A trigram or full-text index would be the next
 * step for tenants with millions of messages, but pg_trgm is not available in the embedded database.
 */
export function conversationWhere(tenantId: string, filter: ConversationFilter) {
  const f = parseInput(filterSchema, filter);
  const and: object[] = [{ tenantId }];
  if (f.botId) and.push({ botId: parseId(f.botId, 'filter.botId') });
  if (f.status) and.push({ status: f.status });
  if (f.visitorId) and.push({ visitorId: f.visitorId });
  if (f.closed != null) and.push({ closedAt: f.closed ? { $ne: null } : null });
  if (f.feedback) {
    // Served by answer_feedback_conversation_idx: one range per candidate conversation.
    const helpful = f.feedback === 'HELPFUL';
    and.push({ [raw((c: string) => `exists (select 1 from answer_feedback af where af.conversation_id = ${c}.id and af.helpful = ${helpful})`)]: [] });
  }
  if (f.from) and.push({ createdAt: { $gte: f.from } });
  if (f.to) and.push({ createdAt: { $lt: f.to } });
  if (f.hasLead != null) {
    const exists = raw((c: string) => `exists (select 1 from lead l where l.conversation_id = ${c}.id)`);
    and.push(f.hasLead ? { [exists]: [] } : { [raw((c: string) => `not exists (select 1 from lead l where l.conversation_id = ${c}.id)`)]: [] });
  }
  if (f.handedOff != null) {
    // An agent wrote, or joined (its SYSTEM notice): the trace a conversation keeps once handed back.
    const agentWasThere = (negate: boolean) =>
      raw((c: string) => `${negate ? 'not ' : ''}exists (select 1 from message m where m.conversation_id = ${c}.id
        and (m.role = 'AGENT' or (m.role = 'SYSTEM' and m.notice->>'kind' = 'AGENT_JOINED')))`);
    and.push(f.handedOff ? { $or: [{ status: { $ne: 'BOT' } }, { [agentWasThere(false)]: [] }] } : { status: 'BOT', [agentWasThere(true)]: [] });
  }
  if (f.search) {
    const matching = raw(
      // What was said: the fixed texts of handoff notices would match every handed-off conversation.
      (c: string) => `exists (select 1 from message m where m.conversation_id = ${c}.id and m.role <> 'SYSTEM' and m.text ilike ? escape '\\')`,
      [likePattern(f.search)],
    );
    and.push({ [matching]: [] });
  }
  return { $and: and };
}

/**
 * Conversations and their messages for members and partners (permission conversations:read), and a
 * visitor's own messages. Reads run in tenant transactions: the ORM tenant filter and row-level
 * security both apply, so another tenant's conversation is NOT_FOUND however its id was learned.
 */
export class ConversationHistoryService {
  async list(em: EntityManager, tenantId: string, filter: ConversationFilter, order: ConversationOrder, page: KeysetRequest): Promise<Page<ConversationView>> {
    const keyset: KeysetOrder = { timeField: TIME_FIELD[order.field], direction: order.direction === 'ASC' ? 'asc' : 'desc' };
    // Validated before any query, so bad input is BAD_USER_INPUT whether or not totalCount is asked.
    conversationWhere(tenantId, filter);
    const listed = await inTenant(em, tenantId, async (tx) => {
      // A bot that is not the tenant's is NOT_FOUND, as for every list taking a botId, rather than an empty page.
      if (filter.botId && (await tx.count(Bot, { id: parseId(filter.botId, 'filter.botId') })) === 0) throw DomainError.notFound('Bot');
      const query = keysetQuery(page, keyset);
      const rows = await tx.find(Conversation, { $and: [conversationWhere(tenantId, filter), query.where] }, { orderBy: query.orderBy, limit: query.limit });
      const views = await this.views(tx, rows);
      return toKeysetPage(views, page, (view) => ({ createdAt: keyset.timeField === 'createdAt' ? view.startedAt : view.lastMessageAt, id: view.id }), (view) => view);
    });
    return { ...listed, totalCount: lazily(() => inTenant(em, tenantId, (tx) => tx.count(Conversation, conversationWhere(tenantId, filter)))) };
  }

  async get(em: EntityManager, tenantId: string, conversationId: string): Promise<ConversationView> {
    const id = parseId(conversationId, 'id');
    return inTenant(em, tenantId, async (tx) => {
      const row = await tx.findOne(Conversation, { id });
      if (!row) throw DomainError.notFound('Conversation');
      const [view] = await this.views(tx, [row]);
      return view!;
    });
  }

  /** A conversation's messages, oldest first: chat turns and the SYSTEM notices of its handoff changes. */
  async messages(em: EntityManager, tenantId: string, conversationId: string, page: KeysetRequest): Promise<Page<ConversationMessageView>> {
    const id = parseId(conversationId, 'conversationId');
    return inTenant(em, tenantId, async (tx) => {
      if ((await tx.count(Conversation, { id })) === 0) throw DomainError.notFound('Conversation');
      return this.messagePage(tx, { conversationId: id, ...SHOWN }, page, toMessageView);
    });
  }

  /**
   * The visitor's own conversation (visitor token), for the widget to restore its history; any other is NOT_FOUND.
   * Chat turns only: the widget shows handoff notices from the live events itself (system-notices.ts).
   */
  async visitorMessages(em: EntityManager, visitor: VisitorPrincipal, conversationId: string, page: KeysetRequest): Promise<Page<ReplyMessage>> {
    const id = parseId(conversationId, 'conversationId');
    if (visitor.conversationId !== id) throw DomainError.notFound('Conversation');
    return inTenant(em, visitor.tenantId, (tx) => this.messagePage(tx, { conversationId: id, ...SHOWN, ...CHAT_TURNS }, page, toReplyMessage));
  }

  private async messagePage<T>(tx: EntityManager, which: { conversationId: string }, page: KeysetRequest, toNode: (message: Message) => T): Promise<Page<T>> {
    const query = keysetQuery(page, MESSAGE_ORDER);
    const rows = await tx.find(Message, { $and: [which, query.where] }, { orderBy: query.orderBy, limit: query.limit });
    return toKeysetPage(rows, page, (message) => message, toNode);
  }

  /** Bots, leads, ratings and message counts of a page of conversations: four queries, whatever the page size. */
  private async views(tx: EntityManager, rows: Conversation[]): Promise<ConversationView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    // One after another: they share the transaction's connection.
    const bots = await tx.find(Bot, { id: { $in: [...new Set(rows.map((row) => row.botId))] } }, { fields: ['id', 'name'] });
    const leads = await tx.find(Lead, { conversationId: { $in: ids } });
    const ratings = await tx.find(ConversationRating, { conversationId: { $in: ids } });
    const counts = await messageCounts(tx, ids);
    const botName = new Map(bots.map((bot) => [bot.id, bot.name]));
    const leadOf = new Map(leads.map((lead) => [lead.conversationId, lead]));
    const ratingOf = new Map(ratings.map((rating) => [rating.conversationId, rating]));
    return rows.map((row) => ({
      id: row.id,
      bot: { id: row.botId, name: botName.get(row.botId) ?? '' },
      visitorId: row.visitorId ?? null,
      status: row.status,
      handoff: {
        offeredAt: row.handoffOfferedAt ?? null,
        requestedAt: row.handoffRequestedAt ?? null,
        reason: row.handoffReason ?? null,
        accepted: row.status === 'WITH_AGENT',
      },
      agent: row.status === 'WITH_AGENT' ? { userId: row.agentUserId ?? null, apiKeyId: row.agentApiKeyId ?? null, name: row.agentName ?? '' } : null,
      variantId: row.variantId ?? null,
      hostOrigin: row.hostOrigin ?? null,
      startedAt: row.createdAt,
      lastMessageAt: row.lastMessageAt,
      messageCount: counts.get(row.id) ?? 0,
      hasLead: leadOf.has(row.id),
      lead: leadOf.get(row.id) ?? null,
      rating: ratingOf.get(row.id) ?? null,
      closedAt: row.closedAt ?? null,
    }));
  }
}

/**
 * Shown chat turns per conversation, one grouped query (the tenant filter applied as for any ORM read). Notices
 * are not counted: the count is what visitor, bot and agents said, as it was before notices were stored.
 */
async function messageCounts(tx: EntityManager, conversationIds: string[]): Promise<Map<string, number>> {
  const qb = tx.createQueryBuilder(Message).select(['conversationId', raw('count(*)::int as count')]).where({ conversationId: { $in: conversationIds }, ...SHOWN, ...CHAT_TURNS }).groupBy('conversationId');
  await qb.applyFilters();
  const rows = await qb.execute<{ conversationId: string; count: number }[]>('all', true);
  return new Map(rows.map((row) => [row.conversationId, Number(row.count)]));
}

export function toMessageView(message: Message): ConversationMessageView {
  return {
    id: message.id,
    role: message.role,
    text: message.text,
    createdAt: message.createdAt,
    sources: message.sources,
    authorName: message.authorName ?? null,
    authorUserId: message.authorUserId ?? null,
    notice: message.notice ?? null,
    usage:
      message.role === 'ASSISTANT'
        ? {
            provider: message.provider ?? null,
            model: message.model ?? null,
            inputTokens: message.inputTokens ?? null,
            outputTokens: message.outputTokens ?? null,
            costMicroUsd: message.costMicroUsd ?? null,
            cacheHit: message.cacheHit,
            latencyMs: message.latencyMs ?? null,
            timeToFirstTokenMs: message.timeToFirstTokenMs ?? null,
          }
        : null,
    sentiment: message.sentiment ?? null,
  };
}

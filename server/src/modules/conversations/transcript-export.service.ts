import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { PageCursor } from '../../core/db/index.ts';
import { parseId, parseInput } from '../../core/errors/index.ts';
import type { ConversationHistoryService, ConversationMessageView, ConversationView } from './conversation-history.service.ts';

/** Rows read per query while streaming: memory stays bounded and no transaction is held while the client reads. */
const CONVERSATION_BATCH = 100;
const MESSAGE_BATCH = 500;
/** An export of a range covers at most a year, like the analytics export. */
const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;

/** A date (YYYY-MM-DD, midnight UTC) or an ISO 8601 instant with offset. */
const instant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time' })
  .transform((value) => new Date(value));

const rangeSchema = z
  .object({ from: instant, to: instant, botId: z.string().nullish() })
  .refine((r) => r.from < r.to, { path: ['to'], message: 'must be after from' })
  .refine((r) => r.to.getTime() - r.from.getTime() <= MAX_RANGE_DAYS * DAY_MS, { path: ['to'], message: `must be at most ${MAX_RANGE_DAYS} days after from` });

export interface ExportRange {
  from: Date;
  to: Date;
  botId: string | null;
}

/** Reads the query string of a range export: from inclusive, to exclusive; BAD_USER_INPUT otherwise. */
export function parseExportRange(input: { from?: string | undefined; to?: string | undefined; botId?: string | undefined }): ExportRange {
  const range = parseInput(rangeSchema, input);
  return { from: range.from, to: range.to, botId: range.botId ? parseId(range.botId, 'botId') : null };
}

/**
 * Transcripts read for export in keyset batches, each in a tenant transaction of its own (both tenant
 * guards apply), so a slow download holds no connection and a long range never sits in memory. Each batch
 * reads through a fresh fork: a transaction's entities are merged into the EntityManager that started it,
 * which would otherwise collect the whole export.
 */
export class TranscriptExportService {
  constructor(private readonly history: ConversationHistoryService) {}

  /** The conversation, read before anything is sent: a missing one is NOT_FOUND, answered as JSON. */
  conversation(em: EntityManager, tenantId: string, conversationId: string): Promise<ConversationView> {
    return this.history.get(em, tenantId, conversationId);
  }

  /** Conversations started in the range (of one bot, if given), oldest first. */
  async *conversations(em: EntityManager, tenantId: string, range: ExportRange): AsyncGenerator<ConversationView> {
    const filter = { from: range.from, to: range.to, botId: range.botId };
    let after: PageCursor | undefined;
    for (;;) {
      const page = await this.history.list(em.fork(), tenantId, filter, { field: 'STARTED_AT', direction: 'ASC' }, {
        direction: 'forward', limit: CONVERSATION_BATCH, after, before: undefined,
      });
      for (const { node } of page.edges) yield node;
      const last = page.edges.at(-1)?.node;
      if (!page.pageInfo.hasNextPage || !last) return;
      after = { createdAt: last.startedAt, id: last.id };
    }
  }

  /** One conversation's messages, oldest first. */
  async *messages(em: EntityManager, tenantId: string, conversationId: string): AsyncGenerator<ConversationMessageView> {
    let after: PageCursor | undefined;
    for (;;) {
      const page = await this.history.messages(em.fork(), tenantId, conversationId, { direction: 'forward', limit: MESSAGE_BATCH, after, before: undefined });
      for (const { node } of page.edges) yield node;
      const last = page.edges.at(-1)?.node;
      if (!page.pageInfo.hasNextPage || !last) return;
      after = { createdAt: last.createdAt, id: last.id };
    }
  }
}

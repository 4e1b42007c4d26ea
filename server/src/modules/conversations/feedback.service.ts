import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { VisitorPrincipal } from '../../core/auth/index.ts';
import { inTenant, listInTenant, mapNodes, type KeysetRequest, type Page } from '../../core/db/index.ts';
import { DomainError, parseId, parseInput } from '../../core/errors/index.ts';
import type { DomainEventOutbox } from '../../core/events/index.ts';
import type { BotsService } from '../bots/index.ts';
import { AnswerFeedback as AnswerFeedbackEntity, ConversationRating as ConversationRatingEntity } from './feedback.entity.ts';

/** The longest comment a visitor may leave with a rating (characters, after trimming). */
export const MAX_FEEDBACK_COMMENT = 1000;

/** An empty or blank comment is no comment. */
const comment = z
  .string()
  .trim()
  .max(MAX_FEEDBACK_COMMENT, `must be at most ${MAX_FEEDBACK_COMMENT} characters`)
  .nullish()
  .transform((value) => (value ? value : null));

export const answerFeedbackSchema = z.object({ helpful: z.boolean(), comment });
export const conversationRatingSchema = z.object({
  rating: z.int('must be a whole number from 1 to 5').min(1, 'must be from 1 to 5').max(5, 'must be from 1 to 5'),
  comment,
});

/** A visitor's 👍/👎 on one answer of the bot, with the comment they left. */
export interface AnswerFeedback {
  id: string;
  botId: string;
  conversationId: string;
  messageId: string;
  helpful: boolean;
  comment: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A visitor's satisfaction with a whole conversation (CSAT, 1–5). */
export interface ConversationRating {
  id: string;
  botId: string;
  conversationId: string;
  rating: number;
  comment: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface AnswerFeedbackRow {
  id: string;
  bot_id: string;
  conversation_id: string;
  message_id: string;
  helpful: boolean;
  comment: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

interface ConversationRatingRow {
  id: string;
  bot_id: string;
  conversation_id: string;
  rating: number;
  comment: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

// Page cursors and webhooks carry JavaScript dates (milliseconds).
const MILLISECOND_NOW = `date_trunc('milliseconds', now())`;
const ANSWER_COLUMNS = 'id, bot_id, conversation_id, message_id, helpful, comment, created_at, updated_at';
const RATING_COLUMNS = 'id, bot_id, conversation_id, rating, comment, created_at, updated_at';

/**
 * Visitors' feedback: 👍/👎 on answers and a CSAT rating of the conversation. One row per answer and
 * per conversation; rating again replaces the rating and the comment (a comment left out clears it).
 * Each change is recorded as a `feedback.submitted` domain event in the same transaction, which the
 * webhooks deliver and analytics counts (with the previous rating, so a change moves the count
 * instead of adding one). Submitting the same thing twice changes nothing and records nothing.
 *
 * Raw SQL bypasses the ORM's tenant filter, so tenant_id is explicit; row-level security checks it too.
 */
export class FeedbackService {
  constructor(
    private readonly outbox: DomainEventOutbox,
    private readonly bots: BotsService,
  ) {}

  /** A bot's answer ratings, newest first, optionally only 👍 (true) or 👎 (false). Another tenant's bot is NOT_FOUND. */
  async listAnswerFeedback(em: EntityManager, tenantId: string, botId: string, helpful: boolean | null, page: KeysetRequest): Promise<Page<AnswerFeedback>> {
    const id = parseId(botId, 'botId');
    const rows = await listInTenant(em, tenantId, {
      entity: AnswerFeedbackEntity,
      where: () => ({ botId: id, ...(helpful === null ? {} : { helpful }) }),
      check: (tx) => this.bots.get(tx, id),
    }, page);
    return mapNodes(rows, (row) => ({
        id: row.id, botId: row.botId, conversationId: row.conversationId, messageId: row.messageId,
        helpful: row.helpful, comment: row.comment ?? null, createdAt: row.createdAt, updatedAt: row.updatedAt,
    }));
  }

  /** A bot's conversation ratings (CSAT), newest first. Another tenant's bot is NOT_FOUND. */
  async listConversationRatings(em: EntityManager, tenantId: string, botId: string, page: KeysetRequest): Promise<Page<ConversationRating>> {
    const id = parseId(botId, 'botId');
    const rows = await listInTenant(em, tenantId, { entity: ConversationRatingEntity, where: () => ({ botId: id }), check: (tx) => this.bots.get(tx, id) }, page);
    return mapNodes(rows, (row) => ({
      id: row.id, botId: row.botId, conversationId: row.conversationId, rating: row.rating,
      comment: row.comment ?? null, createdAt: row.createdAt, updatedAt: row.updatedAt,
    }));
  }

  /**
   * 👍/👎 on `messageId`, which must be an assistant answer of the visitor's own conversation: any
   * other id (a visitor's message, another conversation's answer, another tenant's) is NOT_FOUND.
   */
  async rateAnswer(
    em: EntityManager,
    visitor: VisitorPrincipal,
    conversationId: string,
    messageId: string,
    input: { helpful: boolean; comment?: string | null },
  ): Promise<AnswerFeedback> {
    const id = this.ownConversation(visitor, conversationId);
    const answerId = parseId(messageId, 'messageId');
    const given = parseInput(answerFeedbackSchema, input);
    return inTenant(em, visitor.tenantId, async (tx) => {
      // Locking the answer serializes two ratings of it, so `previous` is what the update replaces.
      const answers = await tx.execute<{ id: string }[]>(
        `select id from message where tenant_id = ? and id = ? and conversation_id = ? and role = 'ASSISTANT' for no key update`,
        [visitor.tenantId, answerId, id],
      );
      if (answers.length === 0) throw DomainError.notFound('Message');
      const [previous] = await tx.execute<AnswerFeedbackRow[]>(
        `select ${ANSWER_COLUMNS} from answer_feedback where tenant_id = ? and message_id = ?`,
        [visitor.tenantId, answerId],
      );
      if (previous && previous.helpful === given.helpful && previous.comment === given.comment) return toAnswerFeedback(previous);
      const [row] = previous
        ? await tx.execute<AnswerFeedbackRow[]>(
            `update answer_feedback set helpful = ?, comment = ?, updated_at = ${MILLISECOND_NOW}
              where tenant_id = ? and id = ? returning ${ANSWER_COLUMNS}`,
            [given.helpful, given.comment, visitor.tenantId, previous.id],
          )
        : await tx.execute<AnswerFeedbackRow[]>(
            `insert into answer_feedback (id, tenant_id, bot_id, conversation_id, message_id, helpful, comment, created_at, updated_at)
             values (?, ?, ?, ?, ?, ?, ?, ${MILLISECOND_NOW}, ${MILLISECOND_NOW}) returning ${ANSWER_COLUMNS}`,
            [randomUUID(), visitor.tenantId, visitor.botId, id, answerId, given.helpful, given.comment],
          );
      const feedback = toAnswerFeedback(row!);
      await this.outbox.record(tx, visitor.tenantId, {
        type: 'feedback.submitted',
        data: {
          kind: 'answer',
          feedbackId: feedback.id,
          botId: visitor.botId,
          conversationId: id,
          messageId: answerId,
          helpful: feedback.helpful,
          comment: feedback.comment,
          previousHelpful: previous ? previous.helpful : null,
          createdAt: feedback.createdAt.toISOString(),
          updatedAt: feedback.updatedAt.toISOString(),
        },
      });
      return feedback;
    });
  }

  /** The visitor's CSAT rating (1–5) of their conversation, with an optional comment. */
  async rateConversation(
    em: EntityManager,
    visitor: VisitorPrincipal,
    conversationId: string,
    input: { rating: number; comment?: string | null },
  ): Promise<ConversationRating> {
    const id = this.ownConversation(visitor, conversationId);
    const given = parseInput(conversationRatingSchema, input);
    return inTenant(em, visitor.tenantId, async (tx) => {
      const conversations = await tx.execute<{ id: string }[]>(
        `select id from conversation where tenant_id = ? and id = ? for no key update`,
        [visitor.tenantId, id],
      );
      if (conversations.length === 0) throw DomainError.notFound('Conversation');
      const [previous] = await tx.execute<ConversationRatingRow[]>(
        `select ${RATING_COLUMNS} from conversation_rating where tenant_id = ? and conversation_id = ?`,
        [visitor.tenantId, id],
      );
      if (previous && previous.rating === given.rating && previous.comment === given.comment) return toConversationRating(previous);
      const [row] = previous
        ? await tx.execute<ConversationRatingRow[]>(
            `update conversation_rating set rating = ?, comment = ?, updated_at = ${MILLISECOND_NOW}
              where tenant_id = ? and id = ? returning ${RATING_COLUMNS}`,
            [given.rating, given.comment, visitor.tenantId, previous.id],
          )
        : await tx.execute<ConversationRatingRow[]>(
            `insert into conversation_rating (id, tenant_id, bot_id, conversation_id, rating, comment, created_at, updated_at)
             values (?, ?, ?, ?, ?, ?, ${MILLISECOND_NOW}, ${MILLISECOND_NOW}) returning ${RATING_COLUMNS}`,
            [randomUUID(), visitor.tenantId, visitor.botId, id, given.rating, given.comment],
          );
      const rating = toConversationRating(row!);
      await this.outbox.record(tx, visitor.tenantId, {
        type: 'feedback.submitted',
        data: {
          kind: 'conversation',
          feedbackId: rating.id,
          botId: visitor.botId,
          conversationId: id,
          rating: rating.rating,
          comment: rating.comment,
          previousRating: previous ? previous.rating : null,
          createdAt: rating.createdAt.toISOString(),
          updatedAt: rating.updatedAt.toISOString(),
        },
      });
      return rating;
    });
  }

  /** A visitor token speaks for one conversation only; any other id is NOT_FOUND, like a missing one. */
  private ownConversation(visitor: VisitorPrincipal, conversationId: string): string {
    const id = parseId(conversationId, 'conversationId');
    if (visitor.conversationId !== id) throw DomainError.notFound('Conversation');
    return id;
  }
}

function toAnswerFeedback(row: AnswerFeedbackRow): AnswerFeedback {
  return {
    id: row.id,
    botId: row.bot_id,
    conversationId: row.conversation_id,
    messageId: row.message_id,
    helpful: row.helpful,
    comment: row.comment,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function toConversationRating(row: ConversationRatingRow): ConversationRating {
  return {
    id: row.id,
    botId: row.bot_id,
    conversationId: row.conversation_id,
    rating: Number(row.rating),
    comment: row.comment,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

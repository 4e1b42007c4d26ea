import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '../../core/db/index.ts';

/** A visitor's 👍/👎 (and comment) on one assistant answer; one per answer (feedback.service.ts writes it). */
export const AnswerFeedback = defineEntity({
  name: 'AnswerFeedback',
  tableName: 'answer_feedback',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    botId: p.uuid(),
    conversationId: p.uuid(),
    messageId: p.uuid().unique(),
    helpful: p.boolean(),
    comment: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type AnswerFeedback = InferEntity<typeof AnswerFeedback>;

/** A visitor's satisfaction with a conversation (CSAT, 1–5) and comment; one per conversation. */
export const ConversationRating = defineEntity({
  name: 'ConversationRating',
  tableName: 'conversation_rating',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    botId: p.uuid(),
    conversationId: p.uuid().unique(),
    rating: p.smallint(),
    comment: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ConversationRating = InferEntity<typeof ConversationRating>;

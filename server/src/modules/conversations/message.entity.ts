import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { ReplySource } from '@mascot/events';
import { tenantFilter } from '../../core/db/index.ts';

export type MessageRole = 'VISITOR' | 'ASSISTANT' | 'AGENT';

export const Message = defineEntity({
  name: 'Message',
  tableName: 'message',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    conversationId: p.uuid(),
    role: p.string().$type<MessageRole>(),
    text: p.text(),
    sources: p.json<ReplySource[]>(),
    provider: p.string().nullable(),
    latencyMs: p.integer().nullable(),
    timeToFirstTokenMs: p.integer().nullable(),
    // What an assistant reply used and cost (null on visitor messages); the roll-ups add these up.
    model: p.string().nullable(),
    inputTokens: p.integer().nullable(),
    outputTokens: p.integer().nullable(),
    costMicroUsd: p.bigint('number').nullable(),
    pricingVersion: p.string().nullable(),
    /** Answered from the answer cache: no provider was called. */
    cacheHit: p.boolean().default(false),
    // How the avatar read the exchange: the visitor's intent, the reply's sentiment, the closing slot.
    intent: p.string().nullable(),
    sentiment: p.float().nullable(),
    animation: p.string().nullable(),
    /** The member who wrote an AGENT message, and the name the visitor saw it signed with. */
    authorUserId: p.uuid().nullable(),
    authorName: p.string().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Message = InferEntity<typeof Message>;

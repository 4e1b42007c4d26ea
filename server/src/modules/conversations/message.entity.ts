import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { ReplySource } from '@mascot/events';
import { tenantFilter } from '../../core/db/index.ts';

export type MessageRole = 'VISITOR' | 'ASSISTANT';

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
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Message = InferEntity<typeof Message>;

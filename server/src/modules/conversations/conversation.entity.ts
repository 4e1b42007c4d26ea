import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '../../core/db/index.ts';

/** One visitor's chat with one bot, pinned to the version that was live when it started. */
export const Conversation = defineEntity({
  name: 'Conversation',
  tableName: 'conversation',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    botId: p.uuid(),
    botVersionId: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastMessageAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Conversation = InferEntity<typeof Conversation>;

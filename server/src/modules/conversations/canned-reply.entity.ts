import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '../../core/db/index.ts';

/** One of the team's canned replies: admins keep them, agents insert them by shortcut (canned-replies.service.ts). */
export const CannedReply = defineEntity({
  name: 'CannedReply',
  tableName: 'canned_reply',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    /** What an agent types after "/" in the Inbox composer; unique per tenant, lower case. */
    shortcut: p.string(),
    text: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type CannedReply = InferEntity<typeof CannedReply>;

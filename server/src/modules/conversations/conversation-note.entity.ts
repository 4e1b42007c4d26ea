import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '../../core/db/index.ts';

/**
 * An internal note the team writes about a conversation (conversation-notes.service.ts). A table of its own, not
 * a message: the visitor's history, the provider prompt and the visitor's exports read messages only.
 */
export const ConversationNote = defineEntity({
  name: 'ConversationNote',
  tableName: 'conversation_note',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    conversationId: p.uuid(),
    /** A member, or an integration's API key (conversations_handle): one of the two. */
    authorUserId: p.uuid().nullable(),
    authorApiKeyId: p.uuid().nullable(),
    /** As the team knows the author: a member's e-mail address, a key's name. */
    authorName: p.string(),
    text: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ConversationNote = InferEntity<typeof ConversationNote>;

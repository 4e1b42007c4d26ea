import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { ConversationStatus, HandoffReason } from '@mascot/events';
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
    /** Who answers: the bot, nobody yet (waiting for a person) or the agent below (see handoff.service.ts). */
    status: p.string().$type<ConversationStatus>().default('BOT'),
    handoffReason: p.string().$type<HandoffReason>().nullable(),
    handoffRequestedAt: p.datetime().nullable(),
    /** An unsure reply offered a person; the visitor's next message may accept or decline it (handoff.offer.ts). */
    handoffOfferedAt: p.datetime().nullable(),
    agentUserId: p.uuid().nullable(),
    /** Or the API key (conversations_handle) of a partner's integration holding it: one of the two while WITH_AGENT. */
    agentApiKeyId: p.uuid().nullable(),
    /** The name the visitor sees the agent as. */
    agentName: p.string().nullable(),
    /** Anonymous id the widget keeps per visitor and site; analytics count unique visitors by it. */
    visitorId: p.string().nullable(),
    /** The A/B variant of the bot's bundle the visitor was shown. */
    variantId: p.string().nullable(),
    /** The host page's origin the bot's allowlist admitted (widget sessions only). */
    hostOrigin: p.string().nullable(),
    /** An agent closed it (conversation-closing.ts): it leaves the Inbox; a new visitor message reopens it. */
    closedAt: p.datetime().nullable(),
    /** Who closed it: a member, or an API key (conversations_handle); at most one of the two. */
    closedByUserId: p.uuid().nullable(),
    closedByApiKeyId: p.uuid().nullable(),
  },
});
export type Conversation = InferEntity<typeof Conversation>;

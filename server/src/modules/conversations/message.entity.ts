import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { HandoffReason, HandoffUnavailableReason, ReplySource } from '@mascot/events';
import { tenantFilter } from '../../core/db/index.ts';

/**
 * VISITOR, ASSISTANT and AGENT messages are what people and the bot said (chat turns); SYSTEM messages are
 * notices of what happened to the conversation (handoff changes), stored so partners read a complete record
 * (system-notices.ts). Only the three turn roles reach the visitor's surfaces, the model's prompt, analytics
 * and leads.
 */
export type MessageRole = 'VISITOR' | 'ASSISTANT' | 'AGENT' | 'SYSTEM';
export type ChatRole = Exclude<MessageRole, 'SYSTEM'>;

/** The ORM condition for chat turns (every role but SYSTEM): what visitors, the model and counts read. */
export const CHAT_TURNS = { role: { $ne: 'SYSTEM' } } as const;

/** What a SYSTEM message records, machine-readable (its text says the same for people). */
export type SystemNoticeKind = 'HANDOFF_REQUESTED' | 'AGENT_JOINED' | 'HANDED_BACK' | 'HANDOFF_CANCELLED' | 'HANDOFF_UNAVAILABLE';
export interface SystemNotice {
  kind: SystemNoticeKind;
  /** The agent who joined (AGENT_JOINED) or left (HANDED_BACK; null when a waiting request was dismissed). */
  agentName: string | null;
  /** Why a person was asked for (HANDOFF_REQUESTED). */
  handoffReason: HandoffReason | null;
  /** Why nobody comes (HANDOFF_UNAVAILABLE), and when people are back if known. */
  unavailableReason: HandoffUnavailableReason | null;
  nextOpeningAt: string | null;
  /** HANDED_BACK because the agent's access ended (a revoked API key, a removed or demoted member). */
  agentRemoved: boolean;
}

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
    /** What a SYSTEM message records; null on every other role (a database check agrees). */
    notice: p.json<SystemNotice>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Message = InferEntity<typeof Message>;

/** Narrows a message read with CHAT_TURNS to its chat role (the condition already left SYSTEM out). */
export function isChatTurn(message: Message): message is Message & { role: ChatRole } {
  return message.role !== 'SYSTEM';
}

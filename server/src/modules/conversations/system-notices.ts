import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Message, type SystemNotice } from './message.entity.ts';

/*
 * Handoff changes stored as SYSTEM messages, so a conversation's messages (the partner API, transcript
 * exports) read as a complete record after the 24-hour event log is gone. Each is written in the
 * transaction of the change it records. They are not posted to the visitor as messages: the widget shows
 * its own notices from the live events (HandoffStatusChanged, HandoffUnavailable), and the visitor's
 * surfaces (visitorMessages, the transcript download) leave SYSTEM messages out, so nothing shows twice.
 */

/** A notice's fields; those a kind does not use are null (or false). */
export type NoticeInput = Pick<SystemNotice, 'kind'> & Partial<Omit<SystemNotice, 'kind'>>;

const WHY_NOBODY: Record<NonNullable<SystemNotice['unavailableReason']>, string> = {
  CLOSED: 'Nobody is available: outside business hours.',
  NO_AGENT_ONLINE: 'Nobody is available: no agent is online.',
  TIMED_OUT: 'Nobody took the conversation in time; the bot answers again.',
};

/** What people read of a notice (English, like the offline answerer's fixed phrases; `notice` is for machines). */
export function noticeText(notice: SystemNotice): string {
  switch (notice.kind) {
    case 'HANDOFF_REQUESTED':
      return notice.handoffReason === 'AGENT_INITIATED' ? 'An agent was asked to join.' : 'The visitor asked for a person; waiting for an agent.';
    case 'AGENT_JOINED':
      return `${notice.agentName ?? 'An agent'} joined the conversation.`;
    case 'HANDED_BACK':
      if (!notice.agentName) return 'The request for a person was closed; the bot answers again.';
      return notice.agentRemoved
        ? `${notice.agentName} no longer has access; the bot answers again.`
        : `${notice.agentName} left the conversation; the bot answers again.`;
    case 'HANDOFF_CANCELLED':
      return 'The visitor stopped waiting for a person; the bot answers again.';
    case 'HANDOFF_UNAVAILABLE': {
      const why = WHY_NOBODY[notice.unavailableReason ?? 'NO_AGENT_ONLINE'];
      return notice.nextOpeningAt ? `${why} People are back at ${notice.nextOpeningAt}.` : why;
    }
  }
}

/** Stores a notice in `conversation` within the caller's transaction (flushed with its other changes). */
export function recordNotice(tx: EntityManager, conversation: { tenantId: string; id: string }, input: NoticeInput): Message {
  const notice: SystemNotice = {
    agentName: null, handoffReason: null, unavailableReason: null, nextOpeningAt: null, agentRemoved: false, ...input,
  };
  return tx.create(Message, {
    id: randomUUID(), tenantId: conversation.tenantId, conversationId: conversation.id, role: 'SYSTEM', text: noticeText(notice), sources: [],
    provider: null, latencyMs: null, timeToFirstTokenMs: null, notice,
  });
}

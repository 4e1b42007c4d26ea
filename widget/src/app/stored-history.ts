// A resumed conversation's transcript as the server stored it (visitorMessages), merged into the one
// this browser saved. The server keeps every message, but its event log (what a resubscription
// replays after `lastSeq`) only for a day (EVENT_RETENTION_MS): without this, a reply that finished
// or an agent's message posted while the visitor was away longer than that would be missing, and a
// reply cut off by closing the tab would show as interrupted although it was stored whole.
//
// The server's page is authoritative for what it stores (delivered visitor messages, finished
// replies, agents' messages), in its order. What only this browser knows stays where it was: the
// greeting, handoff notices (from live events: the server stores them too, as SYSTEM messages, but
// visitorMessages leaves those out so they never show twice) and a reply still streaming (stored
// only once complete; the replay from `lastSeq` finishes it and its ReplyCompleted lands on the same
// id, so it is never doubled).
//
// A lazy chunk: only a resumed conversation needs it, and the chat's first download has no room.

import { gql } from '@urql/core';
import type { MessageConnection } from './api-types.ts';
import {
  applyPosted,
  GREETING_ID,
  initialConversationState,
  mergeMessages,
  noticeMessage,
  sameMessage,
  type ChatMessage,
  type ConversationState,
} from './conversation-state.ts';
import type { Result, SessionApi } from './graphql-client.ts';
import { MESSAGE_FIELDS } from './message-fields.ts';

/** How many of the latest stored messages a resumed conversation shows (older pages are not loaded). */
export const HISTORY_PAGE_SIZE = 50;

export const VISITOR_MESSAGES = gql<{ visitorMessages: MessageConnection }, { conversationId: string; last: number }>`
  query VisitorMessages($conversationId: ID!, $last: Int!) {
    visitorMessages(conversationId: $conversationId, last: $last) {
      edges {
        node {
          ${MESSAGE_FIELDS}
        }
      }
      pageInfo {
        hasPreviousPage
      }
    }
  }
`;

/** The latest stored messages of the visitor's own conversation, oldest first, and whether earlier ones exist. */
export async function loadStoredHistory(api: Pick<SessionApi, 'query'>, conversationId: string): Promise<Result<MessageConnection>> {
  const result = await api.query(VISITOR_MESSAGES, { conversationId, last: HISTORY_PAGE_SIZE });
  return result.ok ? { ok: true, data: result.data.visitorMessages } : result;
}

/** The notice that earlier messages exist but are not shown; one fixed id, so a later restore replaces it. */
export const EARLIER_NOT_SHOWN_ID = 'earlier-not-shown';

/** What the server stores as a message, so its page decides whether it is shown. */
function isStoredKind(message: ChatMessage): boolean {
  switch (message.kind) {
    case 'visitor':
      return message.status === 'sent';
    case 'assistant':
      return message.status === 'complete' && message.id !== GREETING_ID;
    case 'agent':
      return true;
    case 'notice':
      return false;
  }
}

/** `state` with its messages reconciled with the server's latest page of the conversation. */
export function withStoredHistory(state: ConversationState, page: MessageConnection): ConversationState {
  const earlier = page.pageInfo.hasPreviousPage;
  // The stored messages as the live path would have shown them (MessagePosted builds the same bubbles).
  const stored = page.edges.reduce((s, edge) => applyPosted(s, edge.node), initialConversationState).messages;
  const local = state.messages;
  const inPage = (m: ChatMessage) => stored.some((s) => sameMessage(s, m));
  const firstInPage = local.findIndex(inPage);
  // A visitor message keeps the local version: its local id is what a failed reply's retry points at.
  const base = stored.map((s) => (s.kind === 'visitor' && local.find((m) => sameMessage(m, s))) || s);
  // Kept from here: matches (they anchor the rest), and what the server does not store, unless it is
  // older than a page that does not reach the start (its context is not shown either).
  const olderThanPage = (index: number) => earlier && (firstInPage < 0 || index < firstInPage);
  const extra = local.filter((m, i) => m.id !== GREETING_ID && m.id !== EARLIER_NOT_SHOWN_ID && (inPage(m) || (!isStoredKind(m) && !olderThanPage(i))));
  const messages = [
    ...local.filter((m) => m.id === GREETING_ID),
    ...(earlier ? [noticeMessage(EARLIER_NOT_SHOWN_ID, 'earlier-not-shown')] : []),
    ...mergeMessages(base, extra),
  ];
  return { ...state, messages };
}

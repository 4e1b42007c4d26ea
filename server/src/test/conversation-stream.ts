import { graphqlOk, recordSubscription, wsClient, type EventRecorder } from './graphql-test-client.ts';
import { ownerQuery } from './owner-database.ts';
import { CONVERSATION_EVENTS_AFTER, START_CONVERSATION } from './operations.ts';

/** A conversation event as `CONVERSATION_EVENTS_AFTER` selects it (and as the log stores it). */
export type StreamEvent = {
  __typename: string;
  seq: number;
  delta?: string;
  messageId?: string;
  code?: string;
  reason?: string;
  message?: { id: string; text: string };
};
export type StreamRecorder = EventRecorder<{ conversationEvents: StreamEvent }>;
export interface VisitorSession {
  conversationId: string;
  visitorToken: string;
}

/** A visitor's new conversation with the bot behind `embedId`. */
export async function startVisitorSession(graphqlUrl: string, embedId: string): Promise<VisitorSession> {
  const { startConversation } = await graphqlOk(graphqlUrl, START_CONVERSATION, { embedId });
  return startConversation as VisitorSession;
}

/** Subscribes to the conversation's events (from `afterSeq`, or live with null) and waits until subscribed. */
export async function subscribeToEvents(websocketUrl: string, session: VisitorSession, afterSeq: number | null) {
  const client = wsClient(websocketUrl, session.visitorToken);
  const recorder: StreamRecorder = recordSubscription(client, CONVERSATION_EVENTS_AFTER, { conversationId: session.conversationId, afterSeq });
  await recorder.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
  return { client, recorder };
}

/** What a recorder received, without the subscription's own first event. */
export const eventsOf = (recorder: StreamRecorder): StreamEvent[] =>
  recorder.events.map((e) => e.conversationEvents).filter((e) => e.__typename !== 'ConversationSubscribed');

/** The text the deltas spell. */
export const textOf = (events: StreamEvent[]): string => events.filter((e) => e.__typename === 'ReplyDelta').map((e) => e.delta).join('');

/** The events stored for a conversation, in seq order, read as the owner (past row-level security). */
export async function storedEvents(databaseUrl: string, conversationId: string): Promise<StreamEvent[]> {
  const rows = await ownerQuery<{ event: StreamEvent & { type: string } }>(
    databaseUrl,
    `select event from conversation_event, jsonb_array_elements(payload) as event where conversation_id = $1 order by (event->>'seq')::int`,
    [conversationId],
  );
  return rows.map(({ event }) => ({ ...event, __typename: event.type }));
}

// TypeScript shapes of the public GraphQL API the widget talks to, written by
// hand from the schema (only the fields the widget selects). They describe the
// wire format, so they use plain strings for IDs and ISO dates.

export interface PublicBot {
  name: string;
  greeting: string;
}

export interface VisitorSession {
  conversationId: string;
  visitorToken: string;
  bot: PublicBot;
}

export type MessageRole = 'VISITOR' | 'ASSISTANT';

export interface Source {
  marker: number;
  documentTitle: string;
  snippet: string;
}

export interface ApiMessage {
  id: string;
  role: MessageRole;
  text: string;
  createdAt: string;
  sources: Source[];
}

/** First event of every subscription; the transport consumes it, the transcript never sees it. */
export interface ConversationSubscribed {
  __typename: 'ConversationSubscribed';
  seq: number;
}

export interface ReplyStarted {
  __typename: 'ReplyStarted';
  seq: number;
  messageId: string;
}

export interface ReplyDelta {
  __typename: 'ReplyDelta';
  seq: number;
  messageId: string;
  delta: string;
}

export interface ReplyCompleted {
  __typename: 'ReplyCompleted';
  seq: number;
  message: ApiMessage;
}

export interface ReplyFailed {
  __typename: 'ReplyFailed';
  seq: number;
  messageId: string;
  code: string;
}

export type ConversationEvent = ReplyStarted | ReplyDelta | ReplyCompleted | ReplyFailed;

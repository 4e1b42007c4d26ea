// GraphQL operations about conversations shared by the Inbox and Conversations screens, with hand-written
// result types (checked against schema/schema.graphql; the Console has no codegen yet).

export type ConversationStatus = 'BOT' | 'WAITING_FOR_AGENT' | 'WITH_AGENT';
export type MessageRole = 'VISITOR' | 'ASSISTANT' | 'AGENT' | 'SYSTEM';
export type HandoffReason = 'AGENT_INITIATED' | 'BOT_UNSURE' | 'VISITOR_REQUEST';

export interface Source {
  marker: number;
  documentTitle: string;
  sectionPath: string[];
  snippet: string;
  page: number | null;
}

export interface MessageUsage {
  provider: string | null;
  model: string | null;
  costMicroUsd: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cacheHit: boolean;
  latencyMs: number | null;
  timeToFirstTokenMs: number | null;
}

export interface SystemNotice {
  kind: 'AGENT_JOINED' | 'HANDED_BACK' | 'HANDOFF_CANCELLED' | 'HANDOFF_REQUESTED' | 'HANDOFF_UNAVAILABLE';
  agentName: string | null;
  agentRemoved: boolean;
  handoffReason: HandoffReason | null;
  unavailableReason: string | null;
  nextOpeningAt: string | null;
}

export interface TranscriptMessage {
  id: string;
  role: MessageRole;
  text: string;
  authorName: string | null;
  createdAt: string;
  sentiment: number | null;
  sources: Source[];
  usage: MessageUsage | null;
  notice: SystemNotice | null;
}

export interface Lead {
  name: string | null;
  email: string | null;
  phone: string | null;
  wantsContact: boolean;
  consentedAt: string | null;
  handledAt: string | null;
}

export interface ConversationSummary {
  id: string;
  status: ConversationStatus;
  bot: { id: string; name: string };
  agent: { userId: string | null; apiKeyId: string | null; name: string } | null;
  handoff: { reason: HandoffReason | null; requestedAt: string | null };
  hostOrigin: string | null;
  visitorId: string | null;
  variantId: string | null;
  startedAt: string;
  lastMessageAt: string;
  messageCount: number;
  hasLead: boolean;
  rating: { rating: number; comment: string | null } | null;
  /** Closed by an agent; null while open (a new visitor message opens it again). */
  closedAt: string | null;
}

/** An internal note of the team: never shown to the visitor nor sent to the AI provider. */
export interface ConversationNote {
  id: string;
  text: string;
  authorName: string;
  authorUserId: string | null;
  createdAt: string;
}

export interface ConversationDetail extends ConversationSummary {
  lead?: Lead | null;
  notes: ConversationNote[];
  messages: { pageInfo: { hasPreviousPage: boolean; startCursor: string | null }; edges: { node: TranscriptMessage }[] };
}

export const SUMMARY_FIELDS = /* GraphQL */ `
  id status bot { id name } agent { userId apiKeyId name } handoff { reason requestedAt }
  hostOrigin visitorId variantId startedAt lastMessageAt messageCount hasLead rating { rating comment } closedAt
`;

const MESSAGE_FIELDS = /* GraphQL */ `
  id role text authorName createdAt sentiment
  sources { marker documentTitle sectionPath snippet page }
  usage { provider model costMicroUsd inputTokens outputTokens cacheHit latencyMs timeToFirstTokenMs }
  notice { kind agentName agentRemoved handoffReason unavailableReason nextOpeningAt }
`;

/** One conversation with its latest 100 messages; the lead only for roles with leads:read (FORBIDDEN otherwise). */
export const CONVERSATION_QUERY = /* GraphQL */ `
  query ConsoleConversation($id: ID!, $withLead: Boolean!, $latest: Int = 100) {
    conversation(id: $id) {
      ${SUMMARY_FIELDS}
      lead @include(if: $withLead) { name email phone wantsContact consentedAt handledAt }
      messages(last: $latest) { pageInfo { hasPreviousPage startCursor } edges { node { ${MESSAGE_FIELDS} } } }
      notes { id text authorName authorUserId createdAt }
    }
  }
`;

export const CONVERSATIONS_QUERY = /* GraphQL */ `
  query ConsoleConversations($filter: ConversationFilter, $first: Int, $after: String, $last: Int, $before: String) {
    conversations(filter: $filter, first: $first, after: $after, last: $last, before: $before, orderBy: { field: LAST_MESSAGE_AT, direction: DESC }) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { node { ${SUMMARY_FIELDS} } }
    }
  }
`;

export interface ConversationsResult {
  conversations: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    edges: { node: ConversationSummary }[];
  };
}

export interface AvatarCue {
  messageId: string;
  phase: string;
  intent: string;
  sentiment: number;
  reason: string;
}

export type ConversationEvent =
  | { __typename: 'ConversationSubscribed'; seq: number }
  | { __typename: 'ReplyStarted'; messageId: string; seq: number }
  | { __typename: 'ReplyDelta'; messageId: string; delta: string; seq: number }
  | { __typename: 'ReplyCompleted'; seq: number; message: { id: string } }
  | { __typename: 'ReplyFailed'; messageId: string; reason: string; seq: number }
  | { __typename: 'MessagePosted'; seq: number; message: { id: string; role: MessageRole; text: string } }
  | { __typename: 'HandoffStatusChanged'; status: ConversationStatus; agentName: string | null; seq: number }
  | { __typename: 'HandoffUnavailable'; seq: number }
  | ({ __typename: 'AvatarCue'; seq: number } & AvatarCue);

/** A conversation's events as members watch them: live replies, messages, handoff changes and avatar cues. */
export const CONVERSATION_EVENTS = /* GraphQL */ `
  subscription ConsoleConversationEvents($conversationId: ID!, $afterSeq: Int) {
    conversationEvents(conversationId: $conversationId, afterSeq: $afterSeq) {
      __typename
      ... on ConversationSubscribed { seq }
      ... on ReplyStarted { messageId seq }
      ... on ReplyDelta { messageId delta seq }
      ... on ReplyCompleted { seq message { id } }
      ... on ReplyFailed { messageId reason seq }
      ... on MessagePosted { seq message { id role text } }
      ... on HandoffStatusChanged { status agentName seq }
      ... on HandoffUnavailable { seq }
      ... on AvatarCue { messageId phase intent sentiment reason seq }
    }
  }
`;

export const BOTS_QUERY = /* GraphQL */ `
  query ConsoleBots($first: Int = 100) { bots(first: $first) { edges { node { id name } } } }
`;
export interface BotsResult {
  bots: { edges: { node: { id: string; name: string } }[] };
}

export const statusLabel: Record<ConversationStatus, string> = {
  BOT: 'With the bot',
  WAITING_FOR_AGENT: 'Waiting',
  WITH_AGENT: 'With an agent',
};
export const statusTone = { BOT: 'neutral', WAITING_FOR_AGENT: 'warning', WITH_AGENT: 'success' } as const;
export const reasonLabel: Record<HandoffReason, string> = {
  VISITOR_REQUEST: 'Asked for a person',
  BOT_UNSURE: 'The bot was unsure',
  AGENT_INITIATED: 'An agent stepped in',
};

/** The bot's language: its live version's bundle (personality.language). */
export const BOT_LANGUAGE = /* GraphQL */ `
  query ConsoleBotLanguage($id: ID!) { bot(id: $id) { id liveVersion { id config } } }
`;
export interface BotLanguageResult {
  bot: { id: string; liveVersion: { id: string; config: { personality?: { language?: string } } } | null };
}

/** The same visitor's conversations with the tenant's bots (the widget's visitorId), newest first. */
export const VISITOR_CONVERSATIONS = /* GraphQL */ `
  query ConsoleVisitorConversations($visitorId: String!, $first: Int = 6) {
    conversations(filter: { visitorId: $visitorId }, first: $first, orderBy: { field: STARTED_AT, direction: DESC }) {
      totalCount
      edges { node { id startedAt messageCount status bot { id name } } }
    }
  }
`;
export interface VisitorConversationsResult {
  conversations: { totalCount: number; edges: { node: { id: string; startedAt: string; messageCount: number; status: ConversationStatus; bot: { id: string; name: string } } }[] };
}

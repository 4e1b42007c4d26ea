// The Inbox's own operations (agents: conversations:handle), with hand-written result types.
import { SUMMARY_FIELDS, type ConversationStatus, type ConversationSummary, type HandoffReason } from '../../conversation/operations.ts';

export type HandoffChange = 'WAITING' | 'TAKEN_OVER' | 'HANDED_BACK' | 'VISITOR_MESSAGE';

export interface QueueEvent {
  waitingConversations: {
    change: HandoffChange;
    conversation: { id: string; botId: string; status: ConversationStatus; agentName: string | null; agentUserId: string | null; reason: HandoffReason | null; waitingSince: string | null };
    visitorMessage: { id: string; text: string; createdAt: string } | null;
  };
}

/** Holding this subscription is what makes the agent "online" for visitors (HANDOFF.md, agent-presence.ts). */
export const QUEUE_SUBSCRIPTION = /* GraphQL */ `
  subscription InboxQueue {
    waitingConversations {
      change
      conversation { id botId status agentName agentUserId reason waitingSince }
      visitorMessage { id text createdAt }
    }
  }
`;

/**
 * `$first` is a variable on purpose: the cost limit multiplies a literal `first: n` (core/graphql/operation-limits.ts).
 * Everything people handle now: waiting for someone, and with an agent (the queue's snapshot lists only the waiting). */
export const INBOX_QUERY = /* GraphQL */ `
  query InboxConversations($first: Int = 100) {
    waiting: conversations(first: $first, filter: { status: WAITING_FOR_AGENT }, orderBy: { field: LAST_MESSAGE_AT, direction: DESC }) {
      totalCount edges { node { ${SUMMARY_FIELDS} } }
    }
    withAgent: conversations(first: $first, filter: { status: WITH_AGENT }, orderBy: { field: LAST_MESSAGE_AT, direction: DESC }) {
      totalCount edges { node { ${SUMMARY_FIELDS} } }
    }
  }
`;
export interface InboxResult {
  waiting: { totalCount: number; edges: { node: ConversationSummary }[] };
  withAgent: { totalCount: number; edges: { node: ConversationSummary }[] };
}

export const AVAILABILITY_QUERY = /* GraphQL */ `
  query InboxAvailability { handoffAvailability { onlineAgentIds openNow nextOpeningAt } }
`;
export interface AvailabilityResult {
  handoffAvailability: { onlineAgentIds: string[]; openNow: boolean; nextOpeningAt: string | null };
}

export const TAKE_OVER = /* GraphQL */ `
  mutation InboxTakeOver($conversationId: ID!, $displayName: String) {
    takeOverConversation(conversationId: $conversationId, displayName: $displayName) {
      conversation { id status agentName agentUserId }
    }
  }
`;
export const SEND_AGENT_MESSAGE = /* GraphQL */ `
  mutation InboxReply($conversationId: ID!, $text: String!) { sendAgentMessage(conversationId: $conversationId, text: $text) { id } }
`;
export const HAND_BACK = /* GraphQL */ `
  mutation InboxHandBack($conversationId: ID!) { handBackConversation(conversationId: $conversationId) { id status } }
`;

export const CLOSE_CONVERSATION = /* GraphQL */ `
  mutation InboxClose($conversationId: ID!) { closeConversation(conversationId: $conversationId) { id status closedAt } }
`;
export const REOPEN_CONVERSATION = /* GraphQL */ `
  mutation InboxReopen($conversationId: ID!) { reopenConversation(conversationId: $conversationId) { id status closedAt } }
`;
export const ADD_NOTE = /* GraphQL */ `
  mutation InboxAddNote($conversationId: ID!, $text: String!) { addConversationNote(conversationId: $conversationId, text: $text) { id } }
`;
export const DELETE_NOTE = /* GraphQL */ `
  mutation InboxDeleteNote($id: ID!) { deleteConversationNote(id: $id) }
`;

/** The team's canned replies (admins keep them on the Team screen). */
export const CANNED_REPLIES = /* GraphQL */ `
  query ConsoleCannedReplies { cannedReplies { id shortcut text } }
`;
export interface CannedReply {
  id: string;
  shortcut: string;
  text: string;
}

/** The visitor's typing (members hear only the visitor); ephemeral, nothing is replayed. */
export const TYPING_SUBSCRIPTION = /* GraphQL */ `
  subscription InboxTyping($conversationId: ID!) { typingIndicators(conversationId: $conversationId) { who typing at } }
`;
export interface TypingEvent {
  typingIndicators: { who: 'VISITOR' | 'AGENT'; typing: boolean; at: string };
}
/** The holding agent's typing, for the visitor's widget; the server throttles repeats (answers false). */
export const SET_AGENT_TYPING = /* GraphQL */ `
  mutation InboxAgentTyping($conversationId: ID!, $typing: Boolean!) { setAgentTyping(conversationId: $conversationId, typing: $typing) }
`;

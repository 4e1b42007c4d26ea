// Pure state for the chat transcript: a reducer that folds local actions (the
// visitor sending) and server ConversationEvents into a list of messages. Kept
// free of React and I/O so the streaming rules can be unit-tested directly.
//
// Streaming rules:
// - Deltas are kept per assistant message keyed by `seq`, and the text is the
//   concatenation in seq order: a duplicated event (same seq) is ignored and an
//   event that arrives out of order still lands in the right place.
// - An event for an unknown message creates its bubble, so a missed
//   ReplyStarted (e.g. sent while the socket was reconnecting) costs nothing.
// - ReplyCompleted is authoritative: it replaces the streamed text with the
//   stored text and adds the sources. Later deltas for that message are stale.

import type { ApiMessage, ConversationEvent, PublicBot, Source } from './api-types.ts';

export interface VisitorMessage {
  kind: 'visitor';
  /** Client-generated and stable (React key, retry target). */
  id: string;
  /** Set once sendMessage succeeded. */
  serverId: string | null;
  text: string;
  status: 'sending' | 'sent' | 'failed';
  errorCode: string | null;
}

export interface DeltaChunk {
  seq: number;
  text: string;
}

export interface AssistantMessage {
  kind: 'assistant';
  /** The server's message id. */
  id: string;
  status: 'typing' | 'streaming' | 'complete' | 'failed';
  text: string;
  /** Streamed pieces in seq order; emptied once the reply completes. */
  chunks: readonly DeltaChunk[];
  sources: readonly Source[];
  errorCode: string | null;
  /** The visitor message this reply answers, so a failed reply can be retried. */
  inReplyTo: string | null;
}

/** A local, non-persisted line such as "a new conversation was started". */
export interface NoticeMessage {
  kind: 'notice';
  id: string;
  text: string;
}

export type ChatMessage = VisitorMessage | AssistantMessage | NoticeMessage;

export interface ConversationState {
  messages: readonly ChatMessage[];
}

export type ConversationAction =
  | { type: 'reset'; messages: readonly ChatMessage[] }
  | { type: 'visitorQueued'; id: string; text: string }
  | { type: 'visitorSending'; id: string }
  | { type: 'visitorSent'; id: string; message: Pick<ApiMessage, 'id'> }
  | { type: 'visitorFailed'; id: string; code: string }
  | { type: 'remove'; id: string }
  | { type: 'event'; event: ConversationEvent };

export const GREETING_ID = 'greeting';

export const initialConversationState: ConversationState = { messages: [] };

/** The bot greeting shown as the first assistant message. */
export function greetingMessage(bot: PublicBot): AssistantMessage {
  return {
    kind: 'assistant',
    id: GREETING_ID,
    status: 'complete',
    text: bot.greeting,
    chunks: [],
    sources: [],
    errorCode: null,
    inReplyTo: null,
  };
}

function emptyAssistant(id: string, inReplyTo: string | null): AssistantMessage {
  return { kind: 'assistant', id, status: 'typing', text: '', chunks: [], sources: [], errorCode: null, inReplyTo };
}

/** The newest visitor message before `index` (or at the end when index is -1). */
function precedingVisitorId(messages: readonly ChatMessage[], index: number): string | null {
  for (let i = (index === -1 ? messages.length : index) - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.kind === 'visitor') return message.id;
  }
  return null;
}

function replaceAt(messages: readonly ChatMessage[], index: number, next: ChatMessage): ChatMessage[] {
  const copy = messages.slice();
  copy[index] = next;
  return copy;
}

function updateVisitor(
  state: ConversationState,
  id: string,
  update: (message: VisitorMessage) => VisitorMessage,
): ConversationState {
  const index = state.messages.findIndex((m) => m.kind === 'visitor' && m.id === id);
  const message = state.messages[index];
  if (!message || message.kind !== 'visitor') return state;
  return { messages: replaceAt(state.messages, index, update(message)) };
}

/** Finds the assistant message `id`, or appends a fresh one, then applies `update`. */
function upsertAssistant(
  state: ConversationState,
  id: string,
  update: (message: AssistantMessage, isNew: boolean) => AssistantMessage | null,
): ConversationState {
  const index = state.messages.findIndex((m) => m.kind === 'assistant' && m.id === id);
  const existing = state.messages[index];
  if (existing && existing.kind === 'assistant') {
    const next = update(existing, false);
    return next && next !== existing ? { messages: replaceAt(state.messages, index, next) } : state;
  }
  const next = update(emptyAssistant(id, precedingVisitorId(state.messages, -1)), true);
  return next ? { messages: [...state.messages, next] } : state;
}

function insertChunk(chunks: readonly DeltaChunk[], chunk: DeltaChunk): readonly DeltaChunk[] | null {
  let at = chunks.length;
  while (at > 0 && chunks[at - 1]!.seq > chunk.seq) at--;
  if (at > 0 && chunks[at - 1]!.seq === chunk.seq) return null; // duplicate
  return [...chunks.slice(0, at), chunk, ...chunks.slice(at)];
}

function applyEvent(state: ConversationState, event: ConversationEvent): ConversationState {
  switch (event.__typename) {
    case 'ReplyStarted':
      // Only creates the bubble (shown as a typing indicator); a late or
      // repeated ReplyStarted must not wipe text that already streamed in.
      return upsertAssistant(state, event.messageId, (message, isNew) => (isNew ? message : null));

    case 'ReplyDelta':
      return upsertAssistant(state, event.messageId, (message) => {
        if (message.status === 'complete' || message.status === 'failed') return null;
        const chunks = insertChunk(message.chunks, { seq: event.seq, text: event.delta });
        if (!chunks) return null;
        return { ...message, status: 'streaming', chunks, text: chunks.map((c) => c.text).join('') };
      });

    case 'ReplyCompleted':
      return upsertAssistant(state, event.message.id, (message) => ({
        ...message,
        status: 'complete',
        text: event.message.text,
        chunks: [],
        sources: event.message.sources,
        errorCode: null,
      }));

    case 'ReplyFailed':
      return upsertAssistant(state, event.messageId, (message) =>
        message.status === 'complete' ? null : { ...message, status: 'failed', errorCode: event.code },
      );

    default:
      // A newer server may add event types; ignoring them keeps old widgets working.
      return state;
  }
}

export function conversationReducer(state: ConversationState, action: ConversationAction): ConversationState {
  switch (action.type) {
    case 'reset':
      return { messages: action.messages };
    case 'visitorQueued':
      return {
        messages: [
          ...state.messages,
          { kind: 'visitor', id: action.id, serverId: null, text: action.text, status: 'sending', errorCode: null },
        ],
      };
    case 'visitorSending':
      return updateVisitor(state, action.id, (m) => ({ ...m, status: 'sending', errorCode: null }));
    case 'visitorSent':
      return updateVisitor(state, action.id, (m) => ({ ...m, status: 'sent', serverId: action.message.id }));
    case 'visitorFailed':
      return updateVisitor(state, action.id, (m) => ({ ...m, status: 'failed', errorCode: action.code }));
    case 'remove': {
      const messages = state.messages.filter((m) => m.id !== action.id);
      return messages.length === state.messages.length ? state : { messages };
    }
    case 'event':
      return applyEvent(state, action.event);
  }
}

/** True while an assistant reply is being typed or streamed. */
export function isReplyInProgress(messages: readonly ChatMessage[]): boolean {
  return messages.some((m) => m.kind === 'assistant' && (m.status === 'typing' || m.status === 'streaming'));
}

/**
 * The messages worth restoring after a reload: delivered visitor messages and
 * completed assistant replies. In-flight and failed ones cannot be resumed (the
 * API has no way to fetch them again), and notices are only for the moment.
 */
export function settledMessages(messages: readonly ChatMessage[]): ChatMessage[] {
  return messages.filter(
    (m) => (m.kind === 'visitor' && m.status === 'sent') || (m.kind === 'assistant' && m.status === 'complete'),
  );
}

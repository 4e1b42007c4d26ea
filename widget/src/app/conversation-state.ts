// Pure state for the chat transcript: a reducer that folds local actions (the
// visitor sending) and server ConversationEvents into a list of messages, the
// handoff status and whether the contact form is wanted. Kept free of React and
// I/O so the streaming rules can be unit-tested directly.
//
// Streaming rules:
// - Every event carries the conversation's `seq`. The state remembers up to
//   which seq it has applied every event (`lastSeq`, plus the few seen above it
//   when events arrive out of order), so an event seen before is ignored as a
//   whole. A reconnect (or a reload) resubscribes with `afterSeq = lastSeq`, and
//   the server's replay fills exactly the gap: no text is lost or repeated.
// - Deltas are kept per assistant message keyed by `seq`, and the text is the
//   concatenation in seq order, so an event that arrives out of order still
//   lands in the right place.
// - An event for an unknown message creates its bubble, so a missed
//   ReplyStarted costs nothing.
// - ReplyCompleted is authoritative: it replaces the streamed text with the
//   stored text and adds the sources. Later deltas for that message are stale.

import type { ApiMessage, ConversationEvent, ConversationStatus, HandoffUnavailableReason, PublicBot, Source } from './api-types.ts';

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

/** A person of the bot's team who took the conversation over, writing as themselves. */
export interface AgentMessage {
  kind: 'agent';
  /** The server's message id. */
  id: string;
  text: string;
  /** The name the agent signs with. */
  authorName: string;
}

/** Why a notice was shown; lets the UI word it in the visitor's language. */
export type NoticeCode =
  | 'session-restarted'
  | 'waiting-for-agent'
  | 'agent-joined'
  | 'agent-left'
  /** A wait for a person ended without one (the visitor cancelled, or nobody took it): the bot answers again. */
  | 'handoff-ended'
  /** The visitor wanted a person and none comes (see `unavailable`). */
  | 'handoff-unavailable'
  /** A restored conversation shows only its latest stored messages (stored-history.ts). */
  | 'earlier-not-shown';

/** A line about the conversation itself, such as "a new conversation was started" or "Ada joined". */
export interface NoticeMessage {
  kind: 'notice';
  id: string;
  code: NoticeCode;
  /** The agent a handoff notice names. */
  agentName: string | null;
  /** English wording, for a UI without its own. */
  text: string;
  /** handoff-unavailable: why, and when people are back. */
  unavailable?: HandoffUnavailableInfo;
}

/** Why no person comes, and when people are back (ISO 8601, null when unknown). */
export interface HandoffUnavailableInfo {
  reason: HandoffUnavailableReason;
  nextOpeningAt: string | null;
}

export type ChatMessage = VisitorMessage | AssistantMessage | AgentMessage | NoticeMessage;

/** Who answers the visitor now, from the latest HandoffStatusChanged. */
export interface HandoffState {
  status: ConversationStatus;
  agentName: string | null;
}

/**
 * The contact form: `offered` when the bot could not answer (ReplyCompleted.requestsContact) or the
 * visitor waits for a person; `dismissed` when they closed it; `submitted` once a lead holds their details.
 */
export type ContactFormState = 'hidden' | 'offered' | 'dismissed' | 'submitted';

/** Every ContactFormState, in the order the form moves through them (two tabs keep the furthest). */
export const CONTACT_FORM_STATES: readonly ContactFormState[] = ['hidden', 'offered', 'dismissed', 'submitted'];

export interface ConversationState {
  messages: readonly ChatMessage[];
  /** Every event up to this seq has been applied: a resubscription continues after it. */
  lastSeq: number;
  /** Seqs above `lastSeq` already applied (only when events arrived out of order). */
  seenAbove: readonly number[];
  handoff: HandoffState;
  contactForm: ContactFormState;
  /**
   * The last reply offered a person (ReplyCompleted.requestsContact): Accept / No thanks are shown until
   * the visitor answers or writes again. Absent in states stored before it existed.
   */
  handoffOffer?: boolean;
  /** The visitor wanted a person and none comes: shown with the contact form until it is sent or closed. */
  unavailable?: HandoffUnavailableInfo | null;
}

export type ConversationAction =
  | { type: 'reset'; state: ConversationState }
  | { type: 'visitorQueued'; id: string; text: string }
  | { type: 'visitorSending'; id: string }
  | { type: 'visitorSent'; id: string; message: Pick<ApiMessage, 'id'> }
  | { type: 'visitorFailed'; id: string; code: string }
  | { type: 'remove'; id: string }
  | { type: 'notice'; notice: NoticeMessage }
  | { type: 'contactForm'; state: ContactFormState }
  /** The visitor answered the offer of a person (or it no longer applies). */
  | { type: 'handoffOfferClosed' }
  /** The first event a (re)subscription delivered, before it is applied (see replayStarts). */
  | { type: 'replayStarts'; seq: number }
  | { type: 'event'; event: ConversationEvent };

/** The server keeps a conversation's events replayable this long (conversationEvents; conversation-retention.ts). */
export const EVENT_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * The error code of a reply whose stream can no longer be replayed: the tab was closed mid-reply
 * and came back after the server pruned the reply's events. Shown as failed, with a retry.
 */
export const REPLY_INTERRUPTED = 'REPLY_INTERRUPTED';

export const GREETING_ID = 'greeting';

const WITH_BOT: HandoffState = { status: 'BOT', agentName: null };

export const initialConversationState: ConversationState = {
  messages: [],
  lastSeq: 0,
  seenAbove: [],
  handoff: WITH_BOT,
  contactForm: 'hidden',
  handoffOffer: false,
  unavailable: null,
};

/** A fresh conversation's state: the greeting, nothing streamed yet. */
export function newConversationState(bot: Pick<PublicBot, 'greeting'>): ConversationState {
  return { ...initialConversationState, messages: [greetingMessage(bot)] };
}

/** The bot greeting shown as the first assistant message. */
export function greetingMessage(bot: Pick<PublicBot, 'greeting'>): AssistantMessage {
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

const NOTICE_TEXT: Record<NoticeCode, (agentName: string | null) => string> = {
  'session-restarted': () => 'Your previous chat had ended, so a new conversation was started.',
  'waiting-for-agent': () => 'Waiting for a person to join…',
  'agent-joined': (name) => `${name ?? 'A person'} joined the conversation.`,
  'agent-left': (name) => `${name ?? 'The person'} left; you are chatting with the assistant again.`,
  'handoff-ended': () => 'You are chatting with the assistant again.',
  'handoff-unavailable': () => 'No one from the team is available right now.',
  'earlier-not-shown': () => 'Older messages: see the transcript (More options).',
};

export function noticeMessage(id: string, code: NoticeCode, agentName: string | null = null): NoticeMessage {
  return { kind: 'notice', id, code, agentName, text: NOTICE_TEXT[code](agentName) };
}

/** The visitor wanted a person and none comes: the bot answers on, the contact form is offered. */
function applyUnavailable(state: ConversationState, unavailable: HandoffUnavailableInfo, seq: number): ConversationState {
  const notice: NoticeMessage = { ...noticeMessage(`unavailable-${seq}`, 'handoff-unavailable'), unavailable };
  return {
    ...state,
    handoffOffer: false,
    unavailable,
    contactForm: state.contactForm === 'submitted' ? 'submitted' : 'offered',
    messages: [...state.messages, notice],
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

function withMessages(state: ConversationState, messages: readonly ChatMessage[]): ConversationState {
  return { ...state, messages };
}

function updateVisitor(
  state: ConversationState,
  id: string,
  update: (message: VisitorMessage) => VisitorMessage,
): ConversationState {
  const index = state.messages.findIndex((m) => m.kind === 'visitor' && m.id === id);
  const message = state.messages[index];
  if (!message || message.kind !== 'visitor') return state;
  return withMessages(state, replaceAt(state.messages, index, update(message)));
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
    return next && next !== existing ? withMessages(state, replaceAt(state.messages, index, next)) : state;
  }
  const next = update(emptyAssistant(id, precedingVisitorId(state.messages, -1)), true);
  return next ? withMessages(state, [...state.messages, next]) : state;
}

function insertChunk(chunks: readonly DeltaChunk[], chunk: DeltaChunk): readonly DeltaChunk[] | null {
  let at = chunks.length;
  while (at > 0 && chunks[at - 1]!.seq > chunk.seq) at--;
  if (at > 0 && chunks[at - 1]!.seq === chunk.seq) return null; // duplicate
  return [...chunks.slice(0, at), chunk, ...chunks.slice(at)];
}

/**
 * A message posted outside the bot's replies. An agent's is added once; a visitor's is the echo of
 * one sent from here (matched by server id, or by text while its sendMessage is still in flight) or
 * from another tab of the same conversation, which it adds.
 */
export function applyPosted(state: ConversationState, message: ApiMessage): ConversationState {
  if (message.role === 'ASSISTANT') {
    // A line of the bot's outside a reply (it acknowledged "no thanks").
    if (state.messages.some((m) => m.kind === 'assistant' && m.id === message.id)) return state;
    const line: AssistantMessage = { ...emptyAssistant(message.id, null), status: 'complete', text: message.text, sources: message.sources };
    return withMessages(state, [...state.messages, line]);
  }
  if (message.role === 'AGENT') {
    if (state.messages.some((m) => m.kind === 'agent' && m.id === message.id)) return state;
    const agent: AgentMessage = { kind: 'agent', id: message.id, text: message.text, authorName: message.authorName ?? '' };
    return withMessages(state, [...state.messages, agent]);
  }
  if (message.role !== 'VISITOR') return state;
  if (state.messages.some((m) => m.kind === 'visitor' && m.serverId === message.id)) return state;
  const pending = state.messages.find((m) => m.kind === 'visitor' && m.serverId === null && m.status === 'sending' && m.text === message.text);
  if (pending) return updateVisitor(state, pending.id, (m) => ({ ...m, status: 'sent', serverId: message.id }));
  const visitor: VisitorMessage = { kind: 'visitor', id: message.id, serverId: message.id, text: message.text, status: 'sent', errorCode: null };
  return withMessages(state, [...state.messages, visitor]);
}

function applyHandoff(state: ConversationState, status: ConversationStatus, agentName: string | null, seq: number): ConversationState {
  const code: NoticeCode =
    status === 'WAITING_FOR_AGENT' ? 'waiting-for-agent'
    : status === 'WITH_AGENT' ? 'agent-joined'
    : agentName === null && state.handoff.status === 'WAITING_FOR_AGENT' ? 'handoff-ended'
    : 'agent-left';
  // While a person is on the way the bot keeps answering and the banner offers Cancel: the contact form
  // would only crowd the transcript (it comes when nobody can come, HandoffUnavailable). Once a person
  // joins the visitor can just talk.
  const contactForm = status === 'WITH_AGENT' && state.contactForm === 'offered' ? 'hidden' : state.contactForm;
  return {
    ...state,
    handoff: { status, agentName: status === 'BOT' ? null : agentName },
    handoffOffer: false,
    unavailable: status === 'BOT' ? (state.unavailable ?? null) : null,
    contactForm,
    messages: [...state.messages, noticeMessage(`handoff-${seq}`, code, agentName)],
  };
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

    case 'ReplyCompleted': {
      const next = upsertAssistant(state, event.message.id, (message) => ({
        ...message,
        status: 'complete',
        text: event.message.text,
        chunks: [],
        sources: event.message.sources,
        errorCode: null,
      }));
      // The reply offered a person: Accept / No thanks (the contact form follows only if nobody can come).
      return event.requestsContact && next.handoff.status === 'BOT' ? { ...next, handoffOffer: true, unavailable: null } : next;
    }

    case 'ReplyFailed':
      return upsertAssistant(state, event.messageId, (message) =>
        message.status === 'complete' ? null : { ...message, status: 'failed', errorCode: event.code },
      );

    case 'MessagePosted':
      return applyPosted(state, event.message);

    case 'HandoffStatusChanged':
      return applyHandoff(state, event.status, event.agentName, event.seq);

    case 'HandoffUnavailable':
      return applyUnavailable(state, { reason: event.cause, nextOpeningAt: event.nextOpeningAt }, event.seq);

    default:
      // AvatarCue is for the avatar only; a newer server may add event types, and
      // ignoring them keeps old widgets working.
      return state;
  }
}

/** Replies still typing or streaming become failed with REPLY_INTERRUPTED, keeping what arrived. */
export function interruptUnfinishedReplies(state: ConversationState): ConversationState {
  if (!isReplyInProgress(state.messages)) return state;
  const messages = state.messages.map((m): ChatMessage =>
    m.kind === 'assistant' && (m.status === 'typing' || m.status === 'streaming')
      ? { ...m, status: 'failed', errorCode: REPLY_INTERRUPTED, chunks: [] }
      : m,
  );
  return withMessages(state, messages);
}

/**
 * The stored state as a reload continues it. Saved longer ago than the server keeps events, a reply
 * left unfinished cannot be replayed to its end any more: it is marked interrupted at once rather
 * than shown streaming forever. `savedAt` is unknown for entries written before it was stored.
 */
export function restoredState(stored: ConversationState, savedAt: number | undefined, now: number): ConversationState {
  return savedAt !== undefined && now - savedAt >= EVENT_RETENTION_MS ? interruptUnfinishedReplies(stored) : stored;
}

/**
 * The first event after a (re)subscription. The replay reads the log in seq order and seqs have no
 * holes, so a first event past `lastSeq + 1` means the events in between were pruned (older than
 * the retention): replies they would have continued never finish, and those seqs never come.
 */
function applyReplayStart(state: ConversationState, seq: number): ConversationState {
  if (seq <= state.lastSeq + 1) return state;
  const interrupted = interruptUnfinishedReplies(state);
  // Skip the hole, so the next resubscription continues from here instead of asking again.
  let lastSeq = seq - 1;
  let seenAbove = interrupted.seenAbove.filter((s) => s > lastSeq);
  while (seenAbove[0] === lastSeq + 1) {
    lastSeq++;
    seenAbove = seenAbove.slice(1);
  }
  return { ...interrupted, lastSeq, seenAbove };
}

/** Whether the event with `seq` has been applied already. */
export function hasSeen(state: Pick<ConversationState, 'lastSeq' | 'seenAbove'>, seq: number): boolean {
  return seq <= state.lastSeq || state.seenAbove.includes(seq);
}

/** Records `seq` as applied, moving `lastSeq` over every seq now applied without a gap. */
function markSeen(state: ConversationState, seq: number): ConversationState {
  let lastSeq = state.lastSeq;
  let seenAbove = [...state.seenAbove, seq].sort((a, b) => a - b);
  while (seenAbove[0] === lastSeq + 1) {
    lastSeq++;
    seenAbove = seenAbove.slice(1);
  }
  return { ...state, lastSeq, seenAbove };
}

export function conversationReducer(state: ConversationState, action: ConversationAction): ConversationState {
  switch (action.type) {
    case 'reset':
      return action.state;
    case 'visitorQueued':
      // The offer of a person stands for the one message right after it (the server reads it as the answer).
      return withMessages({ ...state, handoffOffer: false }, [
        ...state.messages,
        { kind: 'visitor', id: action.id, serverId: null, text: action.text, status: 'sending', errorCode: null },
      ]);
    case 'visitorSending':
      return updateVisitor(state, action.id, (m) => ({ ...m, status: 'sending', errorCode: null }));
    case 'visitorSent':
      return updateVisitor(state, action.id, (m) => ({ ...m, status: 'sent', serverId: action.message.id }));
    case 'visitorFailed':
      return updateVisitor(state, action.id, (m) => ({ ...m, status: 'failed', errorCode: action.code }));
    case 'remove': {
      const messages = state.messages.filter((m) => m.id !== action.id);
      return messages.length === state.messages.length ? state : withMessages(state, messages);
    }
    case 'notice':
      return withMessages(state, [...state.messages, action.notice]);
    case 'contactForm':
      return state.contactForm === action.state ? state : { ...state, contactForm: action.state };
    case 'handoffOfferClosed':
      return state.handoffOffer ? { ...state, handoffOffer: false } : state;
    case 'replayStarts':
      return applyReplayStart(state, action.seq);
    case 'event': {
      // An event seen before (a reconnect's replay overlapping what arrived live) changes nothing.
      if (hasSeen(state, action.event.seq)) return state;
      return markSeen(applyEvent(state, action.event), action.event.seq);
    }
  }
}

/** True while an assistant reply is being typed or streamed. */
export function isReplyInProgress(messages: readonly ChatMessage[]): boolean {
  return messages.some((m) => m.kind === 'assistant' && (m.status === 'typing' || m.status === 'streaming'));
}

/** The most messages kept for a reload, so a long chat cannot outgrow the storage quota. */
export const MAX_STORED_MESSAGES = 200;

/**
 * The state worth restoring after a reload: delivered visitor messages, agent messages, handoff
 * notices and assistant replies, including one still streaming — the replay from `lastSeq`
 * continues it. Visitor messages not delivered and failed replies are dropped (they cannot be
 * retried from another page load), and so is the one-off "new conversation" notice. An interrupted
 * reply stays, with its retry: its question was delivered and is kept.
 */
export function persistableState(state: ConversationState): ConversationState {
  const messages = state.messages.filter((m) => {
    switch (m.kind) {
      case 'visitor':
        return m.status === 'sent';
      case 'assistant':
        return m.status !== 'failed' || m.errorCode === REPLY_INTERRUPTED;
      case 'agent':
        return true;
      case 'notice':
        return m.code !== 'session-restarted';
    }
  });
  return { ...state, messages: messages.slice(-MAX_STORED_MESSAGES) };
}


/** The same message in two transcripts: same id, or the same visitor message as the server knows it. */
export function sameMessage(a: ChatMessage, b: ChatMessage): boolean {
  if (a.id === b.id) return true;
  return a.kind === 'visitor' && b.kind === 'visitor' && a.serverId !== null && a.serverId === b.serverId;
}

/** `base` with the messages only `extra` has, each placed after the message it followed there. */
export function mergeMessages(base: readonly ChatMessage[], extra: readonly ChatMessage[]): ChatMessage[] {
  const merged = [...base];
  let anchor = -1;
  for (const message of extra) {
    const at = merged.findIndex((m) => sameMessage(m, message));
    if (at >= 0) {
      anchor = at;
      continue;
    }
    merged.splice(anchor + 1, 0, message);
    anchor++;
  }
  return merged;
}

/**
 * Another tab of the same conversation saved `stored`. Both tabs hear the same events, but each
 * knows only its own visitor messages, so the transcripts are merged: the one that has seen more of
 * the stream is the base, the other's messages are added where they were. Returns `current` itself
 * when there is nothing new, which ends the tabs answering each other's saves.
 */
export function adoptFromOtherTab(current: ConversationState, stored: ConversationState): ConversationState {
  const [base, other] = stored.lastSeq >= current.lastSeq ? [stored, current] : [current, stored];
  const contactForm = CONTACT_FORM_STATES[
    Math.max(CONTACT_FORM_STATES.indexOf(current.contactForm), CONTACT_FORM_STATES.indexOf(stored.contactForm))
  ]!;
  const all = mergeMessages(base.messages, other.messages);
  // Messages still on their way from this tab are the newest: they stay last.
  const unsent = (m: ChatMessage) => m.kind === 'visitor' && m.status !== 'sent';
  const messages = [...all.filter((m) => !unsent(m)), ...all.filter(unsent)];
  const merged: ConversationState = { ...base, contactForm, messages };
  const unchanged = JSON.stringify(persistableState(merged)) === JSON.stringify(persistableState(current));
  return unchanged ? current : merged;
}

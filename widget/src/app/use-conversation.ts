// Owns the visitor's conversation: starting or resuming the session, the live
// event subscription (resumed after the last seq on every reconnect), the
// transcript, handoff status, the contact form, and the avatar's signals.
// Components only render what it returns and call its actions.

import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { parseOrigin } from '../frame-protocol.ts';
import type { AnswerFeedbackInput, ContactDetails, ConversationEvent, ConversationRatingInput, PublicBot } from './api-types.ts';
import { AvatarSignals } from './avatar/avatar-signals.ts';
import {
  adoptFromOtherTab,
  conversationReducer,
  initialConversationState,
  newConversationState,
  noticeMessage,
  restoredState,
  type ChatMessage,
  type ContactFormState,
  type ConversationState,
  type HandoffState,
  type HandoffUnavailableInfo,
} from './conversation-state.ts';
import { isSessionExpired, MISSING_EMBED_ID } from './errors.ts';
import {
  createSessionApi,
  endpointsFor,
  startConversation,
  type ConnectionState,
  type HandoffAction,
  type Result,
  type SessionApi,
  type SessionQuery,
} from './graphql-client.ts';
import { clearSession, loadSession, onSessionSavedElsewhere, saveSession, visitorIdFor } from './session-store.ts';

export type { ConnectionState } from './graphql-client.ts';

/** What the contact form gets back: ok, or an error code and the fields the server refused. */
export type ContactSubmitResult = { ok: true } | { ok: false; code: string; fields: string[] };

export interface Conversation {
  /** The bot as the server describes it to visitors: name, greeting, language, theme, avatar. */
  bot: PublicBot | null;
  messages: readonly ChatMessage[];
  /** 'starting' until the session exists (startConversation or restored). */
  phase: 'starting' | 'active' | 'failed';
  connection: ConnectionState;
  /** Sending is allowed only once the event subscription is live, so no reply token is missed. */
  canSend: boolean;
  /** Error code that stopped the chat from starting (phase 'failed'). */
  fatalError: string | null;
  /** Who answers now: the bot, nobody yet (waiting for a person), or a named agent. */
  handoff: HandoffState;
  /** Whether to show the contact form (offered), or that it was sent (submitted). */
  contactForm: ContactFormState;
  /** The last reply offered a person: show Accept / No thanks. */
  handoffOffer: boolean;
  /** The visitor wanted a person and none comes: why, and when people are back. */
  unavailable: HandoffUnavailableInfo | null;
  /** Accepts the offer of a person (request), declines it, or cancels a wait; the events show the outcome. */
  answerHandoff(action: HandoffAction): Promise<Result<unknown>>;
  /** Cue, speech and speech-end for the avatar; the same instance for the hook's lifetime. */
  avatarSignals: AvatarSignals;
  send(text: string): boolean;
  /** Re-sends a failed visitor message, or the message behind a failed reply. */
  retry(messageId: string): void;
  /** Reconnects (after the socket gave up) or starts over (after a fatal error). */
  restart(): void;
  /** Forgets this conversation (here and in storage) and starts a new one. */
  newConversation(): void;
  submitContactDetails(details: ContactDetails): Promise<ContactSubmitResult>;
  /** The server's id of the conversation (null until it started): feedback and transcripts belong to it. */
  conversationId: string | null;
  /** 👍/👎 (and a comment) on an answer; rating again replaces it (use-feedback.ts). */
  rateAnswer(messageId: string, input: AnswerFeedbackInput): Promise<Result<unknown>>;
  /** The visitor's rating of the whole conversation (CSAT 1–5). */
  rateConversation(input: ConversationRatingInput): Promise<Result<unknown>>;
  /** Queries the conversation as stored on the server (the transcript download). */
  query: SessionQuery;
  /** Shows the contact form (e.g. the visitor asked for it) or hides it. */
  setContactForm(state: 'offered' | 'dismissed'): void;
}

interface ActiveSession {
  conversationId: string;
  visitorToken: string;
  bot: PublicBot;
  api: SessionApi;
}

let localIdCounter = 0;
const nextLocalId = (): string => `local-${Date.now().toString(36)}-${++localIdCounter}`;

/** Not a server code: shown with the generic "could not be sent, try again" wording. */
const SESSION_RESTARTED = 'SESSION_RESTARTED';

/** Storage writes while a reply streams are batched to at most one per this interval. */
const SAVE_INTERVAL_MS = 250;

/**
 * The loader's `visitor=` id (the anonymous visitor it keeps on the host site; ours from storage when
 * absent) and `host=` origin (checked by the server against the bot's allowlist) in the iframe URL.
 */
function fromFrameUrl(): { visitorId: string | null; hostOrigin: string | null } {
  const params = new URLSearchParams(window.location.search);
  return { visitorId: params.get('visitor'), hostOrigin: parseOrigin(params.get('host')) };
}

/** Tells the avatar what an event means for it: a cue to play, text being spoken, or the end of it. */
export function signalAvatar(signals: AvatarSignals, event: ConversationEvent): void {
  switch (event.__typename) {
    case 'AvatarCue':
      signals.emit({ type: 'cue', slot: event.slot, messageId: event.messageId });
      break;
    case 'ReplyDelta':
      signals.emit({ type: 'speech', messageId: event.messageId, delta: event.delta });
      break;
    case 'ReplyCompleted':
      signals.emit({ type: 'speech-end', messageId: event.message.id });
      break;
    case 'ReplyFailed':
      signals.emit({ type: 'speech-end', messageId: event.messageId });
      break;
    default:
      break;
  }
}

export function useConversation(embedId: string | null): Conversation {
  // /graphql lives on the iframe's own origin, Mascot's.
  const origin = window.location.origin;
  const { visitorId: visitorIdParam, hostOrigin } = useMemo(fromFrameUrl, []);

  const [state, dispatch] = useReducer(conversationReducer, initialConversationState);
  const [bot, setBot] = useState<PublicBot | null>(null);
  const [conversationId, setConversationId] = useState<string | null>(null);
  const [phase, setPhase] = useState<Conversation['phase']>('starting');
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [fatalError, setFatalError] = useState<string | null>(null);
  // Bumping `generation` tears the session down and sets it up again.
  const [generation, setGeneration] = useState(0);
  const [avatarSignals] = useState(() => new AvatarSignals());
  const sessionRef = useRef<ActiveSession | null>(null);
  const stateRef = useRef<ConversationState>(state);
  // Set when the stored session was rejected, so the next generation starts fresh with a notice.
  const expiredRef = useRef(false);
  // Visitor messages that failed because the session expired; carried into the
  // new conversation so the visitor can retry instead of retyping.
  const carryOverRef = useRef<ChatMessage[]>([]);

  useEffect(() => {
    stateRef.current = state;
  }, [state]);

  // Keep the transcript and its seq in storage so a reload (or another tab) continues from there.
  // The messages and the seq come from one state snapshot, so they always agree. While a reply
  // streams, writes are throttled (not debounced: a long reply would otherwise save only at its end).
  const saveTimerRef = useRef<ReturnType<typeof setTimeout> | null>(null);
  const saveNow = useCallback(() => {
    if (saveTimerRef.current !== null) clearTimeout(saveTimerRef.current);
    saveTimerRef.current = null;
    const session = sessionRef.current;
    if (!embedId || !session || stateRef.current.messages.length === 0) return;
    saveSession(embedId, {
      conversationId: session.conversationId,
      visitorToken: session.visitorToken,
      bot: session.bot,
      state: stateRef.current,
    });
  }, [embedId]);

  useEffect(() => {
    if (sessionRef.current && saveTimerRef.current === null) saveTimerRef.current = setTimeout(saveNow, SAVE_INTERVAL_MS);
  }, [state, saveNow]);

  useEffect(() => {
    window.addEventListener('pagehide', saveNow);
    return () => window.removeEventListener('pagehide', saveNow);
  }, [saveNow]);

  useEffect(() => {
    if (!embedId) {
      setPhase('failed');
      setFatalError(MISSING_EMBED_ID);
      return;
    }
    const endpoints = endpointsFor(origin);
    let cancelled = false;
    let api: SessionApi | null = null;
    setPhase('starting');
    setConnection('connecting');
    setFatalError(null);

    void (async () => {
      const stored = loadSession(embedId);
      const resumed = stored !== null;
      let session = stored;
      if (!session) {
        const result = await startConversation(endpoints, {
          embedId,
          visitorId: visitorIdFor(visitorIdParam),
          hostOrigin,
        });
        if (cancelled) return;
        if (!result.ok) {
          setPhase('failed');
          setFatalError(result.code);
          return;
        }
        const { conversationId, visitorToken, bot: startedBot } = result.data;
        session = { conversationId, visitorToken, bot: startedBot, state: newConversationState(startedBot) };
        saveSession(embedId, session);
      }
      let initial = restoredState(session.state, session.savedAt, Date.now());
      if (expiredRef.current && !resumed) {
        initial = {
          ...initial,
          messages: [...initial.messages, noticeMessage(nextLocalId(), 'session-restarted'), ...carryOverRef.current],
        };
      }
      expiredRef.current = false;
      carryOverRef.current = [];
      stateRef.current = initial;
      dispatch({ type: 'reset', state: initial });
      setBot(session.bot);
      setConversationId(session.conversationId);

      api = createSessionApi(endpoints, session.visitorToken);
      sessionRef.current = { conversationId: session.conversationId, visitorToken: session.visitorToken, bot: session.bot, api };
      setPhase('active');
      // The stored token or conversation is gone (expired, erased, server reset): start a new
      // conversation rather than leaving the visitor stuck. Forgotten first, so tearing down does not
      // save the old conversation again for the next generation to resume.
      const startOver = () => {
        sessionRef.current = null;
        clearSession(embedId);
        expiredRef.current = true;
        setGeneration((g) => g + 1);
      };
      if (resumed) {
        // What this browser saved is on screen at once; the server's stored messages fill in what it
        // missed, before the live stream continues after the saved seq (stored-history.ts). Nothing
        // else changes the transcript meanwhile: sending waits for the subscription below.
        const restore = await import('./stored-history.ts').catch(() => null);
        const history = restore ? await restore.loadStoredHistory(api, session.conversationId) : null;
        if (cancelled) return;
        if (history && !history.ok && isSessionExpired(history.code)) return startOver();
        // Otherwise (offline, a server error) the saved transcript stands and the stream decides.
        if (restore && history?.ok) {
          stateRef.current = restore.withStoredHistory(stateRef.current, history.data);
          dispatch({ type: 'reset', state: stateRef.current });
        }
      }
      // Whether this session ever worked; a brand-new session that is rejected
      // straight away must not trigger endless new conversations.
      let everConnected = false;
      // A reconnect's replay may repeat events the reducer already has; the avatar hears each once.
      let signalledSeq = initial.lastSeq;
      // Set by each (re)subscription's ConversationSubscribed ('connected'): the next event is where its replay starts.
      let replayStarting = false;
      // Subscribe before anything can be sent: `canSend` waits for 'connected'. Every
      // (re)subscription continues after the last seq applied, so the server's replay fills
      // whatever a dropped socket or a reload missed, and nothing twice (the reducer drops repeats).
      api.subscribe(session.conversationId, () => stateRef.current.lastSeq, {
        onEvent: (event) => {
          if (replayStarting) {
            replayStarting = false;
            dispatch({ type: 'replayStarts', seq: event.seq });
          }
          dispatch({ type: 'event', event });
          if (event.seq > signalledSeq) {
            signalledSeq = event.seq;
            signalAvatar(avatarSignals, event);
          }
        },
        onConnection: (next) => {
          if (next === 'connected') {
            everConnected = true;
            replayStarting = true;
          }
          setConnection(next);
        },
        onEnd: (code) => {
          if (isSessionExpired(code) && (resumed || everConnected)) {
            startOver();
          } else if (isSessionExpired(code)) {
            clearSession(embedId);
            setPhase('failed');
            setFatalError(code);
          }
          // Otherwise the connection state is already 'offline'; the UI offers restart().
        },
      });
    })();

    return () => {
      cancelled = true;
      api?.dispose();
      saveNow();
      sessionRef.current = null;
    };
  }, [embedId, origin, visitorIdParam, hostOrigin, generation, avatarSignals, saveNow]);

  // Two tabs of one conversation: a question asked in the other shows here too, and a new
  // conversation started there is followed here.
  useEffect(() => {
    if (!embedId) return;
    return onSessionSavedElsewhere(embedId, (stored) => {
      const session = sessionRef.current;
      if (!session) return;
      if (stored.conversationId !== session.conversationId) {
        sessionRef.current = null; // so tearing down does not save the old conversation over the new one
        setGeneration((g) => g + 1);
        return;
      }
      const next = adoptFromOtherTab(stateRef.current, stored.state);
      if (next === stateRef.current) return;
      stateRef.current = next;
      dispatch({ type: 'reset', state: next });
    });
  }, [embedId]);

  const deliver = useCallback(
    async (id: string, text: string) => {
      const session = sessionRef.current;
      if (!session) {
        dispatch({ type: 'visitorFailed', id, code: 'NETWORK_ERROR' });
        return;
      }
      const result = await session.api.sendMessage(session.conversationId, text);
      if (result.ok) {
        dispatch({ type: 'visitorSent', id, message: result.data });
        return;
      }
      dispatch({ type: 'visitorFailed', id, code: result.code });
      if (isSessionExpired(result.code) && embedId && sessionRef.current === session) {
        carryOverRef.current = [
          { kind: 'visitor', id, serverId: null, text, status: 'failed', errorCode: SESSION_RESTARTED },
        ];
        clearSession(embedId);
        expiredRef.current = true;
        setGeneration((g) => g + 1);
      }
    },
    [embedId],
  );

  const canSend = phase === 'active' && connection === 'connected';

  const send = useCallback(
    (raw: string): boolean => {
      const text = raw.trim();
      if (!text || !canSend) return false;
      const id = nextLocalId();
      dispatch({ type: 'visitorQueued', id, text });
      void deliver(id, text);
      return true;
    },
    [canSend, deliver],
  );

  const retry = useCallback(
    (messageId: string) => {
      if (!canSend) return;
      const messages = stateRef.current.messages;
      const target = messages.find((m) => m.id === messageId);
      let visitorId: string | null = null;
      if (target?.kind === 'visitor' && target.status === 'failed') {
        visitorId = target.id;
      } else if (target?.kind === 'assistant' && target.status === 'failed') {
        // A failed reply is retried by sending its question again; the failed
        // bubble goes away and the new reply streams in its place.
        dispatch({ type: 'remove', id: target.id });
        visitorId = target.inReplyTo;
      }
      const visitor = messages.find((m) => m.id === visitorId);
      if (visitor?.kind !== 'visitor') return;
      dispatch({ type: 'visitorSending', id: visitor.id });
      void deliver(visitor.id, visitor.text);
    },
    [canSend, deliver],
  );

  const restart = useCallback(() => setGeneration((g) => g + 1), []);

  const newConversation = useCallback(() => {
    if (embedId) clearSession(embedId);
    sessionRef.current = null;
    stateRef.current = initialConversationState;
    dispatch({ type: 'reset', state: initialConversationState });
    setGeneration((g) => g + 1);
  }, [embedId]);

  const submitContactDetails = useCallback(async (details: ContactDetails): Promise<ContactSubmitResult> => {
    const session = sessionRef.current;
    if (!session) return { ok: false, code: 'NETWORK_ERROR', fields: [] };
    const result = await session.api.submitContactDetails(session.conversationId, details);
    if (!result.ok) return { ok: false, code: result.code, fields: result.fields };
    dispatch({ type: 'contactForm', state: 'submitted' });
    return { ok: true };
  }, []);

  const setContactForm = useCallback((next: 'offered' | 'dismissed') => dispatch({ type: 'contactForm', state: next }), []);

  const answerHandoff = useCallback(async (action: HandoffAction): Promise<Result<unknown>> => {
    const session = sessionRef.current;
    if (!session) return { ok: false, code: 'NETWORK_ERROR' };
    // The buttons go at once; the outcome (waiting, or nobody available) arrives as events.
    if (action !== 'cancel') dispatch({ type: 'handoffOfferClosed' });
    return session.api.handoff(session.conversationId, action);
  }, []);

  // Feedback and the transcript go to the session's conversation; without one they fail like a lost network.
  const rateAnswer = useCallback(async (messageId: string, input: AnswerFeedbackInput): Promise<Result<unknown>> => {
    const session = sessionRef.current;
    return session ? session.api.rateAnswer(session.conversationId, messageId, input) : { ok: false, code: 'NETWORK_ERROR' };
  }, []);
  const rateConversation = useCallback(async (input: ConversationRatingInput): Promise<Result<unknown>> => {
    const session = sessionRef.current;
    return session ? session.api.rateConversation(session.conversationId, input) : { ok: false, code: 'NETWORK_ERROR' };
  }, []);
  const query = useCallback<SessionQuery>(async (document, variables) => {
    const session = sessionRef.current;
    // The variables without the id plus the id are the document's variables; TypeScript cannot see that through the generic.
    return session ? session.api.query(document, { ...variables, conversationId: session.conversationId } as never) : { ok: false, code: 'NETWORK_ERROR' };
  }, []);

  return {
    bot,
    messages: state.messages,
    phase,
    connection,
    canSend,
    fatalError,
    handoff: state.handoff,
    contactForm: state.contactForm,
    handoffOffer: state.handoffOffer ?? false,
    unavailable: state.unavailable ?? null,
    answerHandoff,
    avatarSignals,
    send,
    retry,
    restart,
    newConversation,
    submitContactDetails,
    setContactForm,
    conversationId,
    rateAnswer,
    rateConversation,
    query,
  };
}

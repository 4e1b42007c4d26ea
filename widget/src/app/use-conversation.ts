// Owns the visitor's conversation: starting or resuming the session, the live
// event subscription, and the message list. Components only render what it
// returns and call send/retry/restart.

import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { PublicBot } from './api-types.ts';
import {
  conversationReducer,
  greetingMessage,
  initialConversationState,
  settledMessages,
  type ChatMessage,
} from './conversation-state.ts';
import { isSessionExpired, MISSING_EMBED_ID } from './errors.ts';
import {
  createSessionApi,
  endpointsFor,
  startConversation,
  type ConnectionState,
  type SessionApi,
} from './graphql-client.ts';
import { clearSession, loadSession, saveSession } from './session-store.ts';

export type { ConnectionState } from './graphql-client.ts';

export interface Conversation {
  bot: PublicBot | null;
  messages: readonly ChatMessage[];
  /** 'starting' until the session exists (startConversation or restored). */
  phase: 'starting' | 'active' | 'failed';
  connection: ConnectionState;
  /** Sending is allowed only once the event subscription is live, so no reply token is missed. */
  canSend: boolean;
  /** Error code that stopped the chat from starting (phase 'failed'). */
  fatalError: string | null;
  send(text: string): boolean;
  /** Re-sends a failed visitor message, or the message behind a failed reply. */
  retry(messageId: string): void;
  /** Reconnects (after the socket gave up) or starts over (after a fatal error). */
  restart(): void;
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

const EXPIRED_NOTICE = 'Your previous chat had ended, so a new conversation was started.';

export function useConversation(embedId: string | null, origin: string = window.location.origin): Conversation {
  const [state, dispatch] = useReducer(conversationReducer, initialConversationState);
  const [bot, setBot] = useState<PublicBot | null>(null);
  const [phase, setPhase] = useState<Conversation['phase']>('starting');
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [fatalError, setFatalError] = useState<string | null>(null);
  // Bumping `generation` tears the session down and sets it up again.
  const [generation, setGeneration] = useState(0);
  const sessionRef = useRef<ActiveSession | null>(null);
  const messagesRef = useRef(state.messages);
  // Set when the stored session was rejected, so the next generation starts fresh with a notice.
  const expiredRef = useRef(false);
  // Visitor messages that failed because the session expired; carried into the
  // new conversation so the visitor can retry instead of retyping.
  const carryOverRef = useRef<ChatMessage[]>([]);

  useEffect(() => {
    messagesRef.current = state.messages;
  }, [state.messages]);

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
      let resumed = stored !== null;
      let session = stored;
      if (!session) {
        const result = await startConversation(endpoints, embedId);
        if (cancelled) return;
        if (!result.ok) {
          setPhase('failed');
          setFatalError(result.code);
          return;
        }
        const { conversationId, visitorToken, bot: startedBot } = result.data;
        session = { conversationId, visitorToken, bot: startedBot, transcript: [greetingMessage(startedBot)] };
        saveSession(embedId, session);
        resumed = false;
      }
      const initial: ChatMessage[] = [...session.transcript];
      if (expiredRef.current && !resumed) {
        initial.push({ kind: 'notice', id: nextLocalId(), text: EXPIRED_NOTICE }, ...carryOverRef.current);
      }
      expiredRef.current = false;
      carryOverRef.current = [];
      dispatch({ type: 'reset', messages: initial });
      setBot(session.bot);

      api = createSessionApi(endpoints, session.visitorToken);
      sessionRef.current = { conversationId: session.conversationId, visitorToken: session.visitorToken, bot: session.bot, api };
      setPhase('active');
      // Whether this session ever worked; a brand-new session that is rejected
      // straight away must not trigger endless new conversations.
      let everConnected = false;
      // Subscribe before anything can be sent: `canSend` waits for 'connected'.
      api.subscribe(session.conversationId, {
        onEvent: (event) => dispatch({ type: 'event', event }),
        onConnection: (next) => {
          if (next === 'connected') everConnected = true;
          setConnection(next);
        },
        onEnd: (code) => {
          if (isSessionExpired(code) && (resumed || everConnected)) {
            // The stored token or conversation is gone (expired, server reset):
            // start a new conversation rather than leaving the visitor stuck.
            clearSession(embedId);
            expiredRef.current = true;
            setGeneration((g) => g + 1);
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
      sessionRef.current = null;
    };
  }, [embedId, origin, generation]);

  // Keep the settled transcript in sessionStorage so a reload can redraw it.
  useEffect(() => {
    const session = sessionRef.current;
    if (!embedId || !session || state.messages.length === 0) return;
    saveSession(embedId, {
      conversationId: session.conversationId,
      visitorToken: session.visitorToken,
      bot: session.bot,
      transcript: settledMessages(state.messages),
    });
  }, [embedId, state.messages]);

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
      const messages = messagesRef.current;
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

  return { bot, messages: state.messages, phase, connection, canSend, fatalError, send, retry, restart };
}

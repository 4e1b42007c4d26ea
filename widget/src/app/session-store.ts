// Remembers the visitor's conversation per bot in localStorage (the iframe's,
// so Mascot's origin; keyed by embed id): the session, the transcript and the
// seq up to which events were applied survive reloads, other pages of the host
// site and new tabs, and a reload mid-reply resumes the stream from that seq.
// The transcript is stored alongside so a reload shows it at once; the server's
// stored messages (visitorMessages) then fill in what this browser missed
// (stored-history.ts).
//
// Storage can be missing or throw (third-party storage blocked, private modes,
// quota): then everything lives in memory for this page, and the chat still
// works. Whatever is stored is validated on the way in; anything that does not
// look right is ignored rather than trusted.

import { newVisitorId, rememberedVisitorId, VISITOR_ID_PATTERN, VISITOR_STORAGE_KEY } from '../embed-helpers.ts';
import type { PublicBot } from './api-types.ts';
import {
  CONTACT_FORM_STATES,
  MAX_STORED_MESSAGES,
  persistableState,
  type ChatMessage,
  type ContactFormState,
  type ConversationState,
} from './conversation-state.ts';

export interface StoredSession {
  conversationId: string;
  visitorToken: string;
  bot: PublicBot;
  state: ConversationState;
  /** When it was saved (ms since the epoch): restoredState compares it with the server's event retention. */
  savedAt?: number;
}

/** Bumped when the stored shape changes; older entries are ignored. */
const VERSION = 2;
const sessionKey = (embedId: string): string => `mascot:v${VERSION}:conversation:${embedId}`;

/** Used when localStorage is unavailable: lives as long as the page. */
const memory = new Map<string, string>();

/** Whether the conversation survives a page load here (false when the browser blocks this frame's storage). */
export function isStorageAvailable(): boolean {
  return storage() !== memoryStore;
}

const memoryStore: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> = {
  getItem: (key) => memory.get(key) ?? null,
  setItem: (key, value) => void memory.set(key, value),
  removeItem: (key) => void memory.delete(key),
};

function storage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  try {
    const local = window.localStorage;
    // Blocked storage may exist and still throw on use; probe once per call.
    local.getItem(VISITOR_STORAGE_KEY);
    return local;
  } catch {
    return memoryStore;
  }
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function isBot(value: unknown): value is PublicBot {
  return (
    isObject(value) &&
    isString(value['name']) &&
    isString(value['greeting']) &&
    isString(value['language']) &&
    isObject(value['theme']) &&
    isString(value['theme']['primaryColor'])
  );
}

function isMessage(value: unknown): value is ChatMessage {
  if (!isObject(value) || !isString(value['id'])) return false;
  switch (value['kind']) {
    case 'visitor':
    case 'agent':
    case 'notice':
      return isString(value['text']);
    case 'assistant':
      return isString(value['text']) && Array.isArray(value['chunks']) && Array.isArray(value['sources']);
    default:
      return false;
  }
}

function isState(value: unknown): value is ConversationState {
  return (
    isObject(value) &&
    Array.isArray(value['messages']) &&
    value['messages'].every(isMessage) &&
    Number.isInteger(value['lastSeq']) &&
    (value['lastSeq'] as number) >= 0 &&
    Array.isArray(value['seenAbove']) &&
    value['seenAbove'].every(Number.isInteger) &&
    isObject(value['handoff']) &&
    isString(value['handoff']['status']) &&
    CONTACT_FORM_STATES.includes(value['contactForm'] as ContactFormState)
  );
}

function isStoredSession(value: unknown): value is StoredSession {
  return (
    isObject(value) &&
    isString(value['conversationId']) &&
    isString(value['visitorToken']) &&
    isBot(value['bot']) &&
    isState(value['state']) &&
    (value['savedAt'] === undefined || Number.isFinite(value['savedAt']))
  );
}

export function loadSession(embedId: string): StoredSession | null {
  try {
    const raw = storage().getItem(sessionKey(embedId));
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    return isStoredSession(parsed) ? parsed : null;
  } catch {
    return null; // corrupt JSON: start afresh
  }
}

export function saveSession(embedId: string, session: StoredSession): void {
  const value = { ...session, state: persistableState(session.state), savedAt: Date.now() };
  try {
    storage().setItem(sessionKey(embedId), JSON.stringify(value));
  } catch {
    // Over quota: keep the newest quarter of the transcript rather than nothing.
    try {
      const state = { ...value.state, messages: value.state.messages.slice(-MAX_STORED_MESSAGES / 4) };
      storage().setItem(sessionKey(embedId), JSON.stringify({ ...value, state }));
    } catch {
      // Still no room: the chat works, it just won't survive a reload.
    }
  }
}

export function clearSession(embedId: string): void {
  try {
    storage().removeItem(sessionKey(embedId));
  } catch {
    // Nothing to clear if storage is unavailable.
  }
}

/**
 * The anonymous visitor id sent with startConversation (unique visitors, sticky A/B variant): the
 * one the loader passes (kept on the host site) when it is well-formed, else our own, kept the way
 * the loader keeps its one, in this origin's storage.
 */
export function visitorIdFor(fromLoader: string | null): string {
  if (fromLoader && VISITOR_ID_PATTERN.test(fromLoader)) return fromLoader;
  return rememberedVisitorId(storage, newVisitorId(crypto.getRandomValues(new Uint8Array(16))));
}

/**
 * Calls `listener` when another tab saves this bot's conversation (the `storage` event never fires in
 * the tab that wrote). Returns the unsubscribe function.
 */
export function onSessionSavedElsewhere(embedId: string, listener: (session: StoredSession) => void): () => void {
  const onStorage = (event: StorageEvent): void => {
    if (event.key !== sessionKey(embedId) || !event.newValue) return;
    try {
      const parsed: unknown = JSON.parse(event.newValue);
      if (isStoredSession(parsed)) listener(parsed);
    } catch {
      // Not ours to read: ignore.
    }
  };
  window.addEventListener('storage', onStorage);
  return () => window.removeEventListener('storage', onStorage);
}

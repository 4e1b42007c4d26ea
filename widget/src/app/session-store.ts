// Remembers the visitor's conversation in sessionStorage, keyed by embed id, so
// a reload (or navigating to another page of the host site) resumes the same
// conversation instead of starting a new one. sessionStorage rather than
// localStorage: the visitor token should not outlive the browsing session.
//
// The API cannot return a conversation's past messages, so the settled part of
// the transcript is stored alongside the session to redraw it after a reload.

import type { PublicBot } from './api-types.ts';
import type { ChatMessage } from './conversation-state.ts';

export interface StoredSession {
  conversationId: string;
  visitorToken: string;
  bot: PublicBot;
  transcript: ChatMessage[];
}

/** The most messages kept, so a long chat cannot outgrow the storage quota. */
const MAX_TRANSCRIPT = 200;

const keyFor = (embedId: string): string => `mascot:conversation:${embedId}`;

/** sessionStorage can be missing or throw (blocked third-party storage, private modes). */
function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

function isStoredSession(value: unknown): value is StoredSession {
  const v = value as Partial<StoredSession> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.conversationId === 'string' &&
    typeof v.visitorToken === 'string' &&
    typeof v.bot?.name === 'string' &&
    typeof v.bot.greeting === 'string' &&
    Array.isArray(v.transcript)
  );
}

export function loadSession(embedId: string): StoredSession | null {
  try {
    const raw = storage()?.getItem(keyFor(embedId));
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    return isStoredSession(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export function saveSession(embedId: string, session: StoredSession): void {
  try {
    storage()?.setItem(
      keyFor(embedId),
      JSON.stringify({ ...session, transcript: session.transcript.slice(-MAX_TRANSCRIPT) }),
    );
  } catch {
    // Quota or blocked storage: the chat still works, it just won't survive a reload.
  }
}

export function clearSession(embedId: string): void {
  try {
    storage()?.removeItem(keyFor(embedId));
  } catch {
    // Nothing to clear if storage is unavailable.
  }
}

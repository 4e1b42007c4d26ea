import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PublicBot } from './api-types.ts';
import {
  conversationReducer,
  MAX_STORED_MESSAGES,
  newConversationState,
  type ConversationAction,
  type ConversationState,
} from './conversation-state.ts';
import { VISITOR_ID_PATTERN } from '../embed-helpers.ts';
import { clearSession, loadSession, saveSession, visitorIdFor, type StoredSession } from './session-store.ts';

const bot: PublicBot = {
  name: 'Milo',
  greeting: 'Hi!',
  language: 'en',
  variantId: null,
  avatar: null,
  theme: {
    primaryColor: '#0a84ff', backgroundColor: '#ffffff', textColor: '#111111', fontFamily: 'system', launcher: 'bubble', colorScheme: 'auto', showBranding: true,
  },
};

/** A Storage backed by a Map, optionally failing like blocked third-party storage or a full quota. */
class FakeStorage {
  readonly items = new Map<string, string>();
  failReads = false;
  failWrites = false;
  getItem(key: string): string | null {
    if (this.failReads) throw new DOMException('blocked', 'SecurityError');
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.failWrites) throw new DOMException('full', 'QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

let storage: FakeStorage;

beforeEach(() => {
  storage = new FakeStorage();
  vi.stubGlobal('window', {
    get localStorage() {
      return storage;
    },
  });
});
afterEach(() => vi.unstubAllGlobals());

function session(state: ConversationState = newConversationState(bot)): StoredSession {
  return { conversationId: 'c1', visitorToken: 'token', bot, state };
}

const withReply = (): ConversationState =>
  ([
    { type: 'visitorQueued', id: 'v1', text: 'price?' },
    { type: 'visitorSent', id: 'v1', message: { id: 's1' } },
    { type: 'event', event: { __typename: 'ReplyStarted', seq: 1, messageId: 'm1' } },
    { type: 'event', event: { __typename: 'ReplyDelta', seq: 2, messageId: 'm1', delta: 'It is ' } },
  ] satisfies ConversationAction[]).reduce(conversationReducer, newConversationState(bot));

describe('session store', () => {
  it('round-trips the session, transcript and seq per embed id', () => {
    saveSession('embed-a', session(withReply()));
    const loaded = loadSession('embed-a');
    expect(loaded).toMatchObject({ conversationId: 'c1', visitorToken: 'token', bot, state: { lastSeq: 2 } });
    expect(loaded?.state.messages.map((m) => m.id)).toEqual(['greeting', 'v1', 'm1']);
    expect(loadSession('embed-b')).toBeNull();
    clearSession('embed-a');
    expect(loadSession('embed-a')).toBeNull();
  });

  it('stamps each save with its time, so a restore can tell whether the server still has the events', () => {
    const before = Date.now();
    saveSession('embed-a', session(withReply()));
    const savedAt = loadSession('embed-a')?.savedAt ?? 0;
    expect(savedAt).toBeGreaterThanOrEqual(before);
    expect(savedAt).toBeLessThanOrEqual(Date.now());
    const [key] = [...storage.items.keys()];
    storage.items.set(key!, JSON.stringify({ ...session(), savedAt: 'yesterday' }));
    expect(loadSession('embed-a')).toBeNull();
  });

  it('ignores corrupt or foreign entries', () => {
    saveSession('embed-a', session());
    const [key] = [...storage.items.keys()];
    for (const junk of ['{not json', '"a string"', '{"conversationId":"c1"}', JSON.stringify({ ...session(), state: { messages: [{ kind: 'evil' }] } })]) {
      storage.items.set(key!, junk);
      expect(loadSession('embed-a'), junk).toBeNull();
    }
  });

  it('keeps the newest messages only', () => {
    let state = newConversationState(bot);
    for (let i = 1; i <= MAX_STORED_MESSAGES + 20; i++) {
      state = conversationReducer(state, {
        type: 'event',
        event: { __typename: 'ReplyCompleted', seq: i, requestsContact: false, message: { id: `m${i}`, role: 'ASSISTANT', text: `${i}`, createdAt: '', sources: [], authorName: null } },
      });
    }
    saveSession('embed-a', session(state));
    expect(loadSession('embed-a')?.state.messages).toHaveLength(MAX_STORED_MESSAGES);
  });

  it('falls back to memory for the page when storage is blocked', () => {
    storage.failReads = true;
    saveSession('embed-a', session());
    expect(loadSession('embed-a')).toMatchObject({ conversationId: 'c1' });
    expect(storage.items.size).toBe(0);
  });

  it('survives a full quota without throwing', () => {
    storage.failWrites = true;
    expect(() => saveSession('embed-a', session(withReply()))).not.toThrow();
    expect(loadSession('embed-a')).toBeNull();
  });
});

describe('visitorIdFor', () => {
  it("uses the loader's well-formed id, else a stored one it creates once", () => {
    expect(visitorIdFor('loader_visitor-123')).toBe('loader_visitor-123');
    const own = visitorIdFor(null);
    expect(own).toMatch(VISITOR_ID_PATTERN);
    expect(visitorIdFor('bad id!')).toBe(own);
    expect(visitorIdFor(null)).toBe(own);
  });
});

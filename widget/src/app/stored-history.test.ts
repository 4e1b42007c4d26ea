import { describe, expect, it } from 'vitest';
import type { ApiMessage, ConversationEvent, MessageConnection, Source } from './api-types.ts';
import {
  conversationReducer,
  newConversationState,
  REPLY_INTERRUPTED,
  restoredState,
  EVENT_RETENTION_MS,
  type ChatMessage,
  type ConversationAction,
  type ConversationState,
} from './conversation-state.ts';
import { EARLIER_NOT_SHOWN_ID, withStoredHistory } from './stored-history.ts';

const bot = { greeting: 'Hi! Ask me anything.' };
const sources: Source[] = [
  { marker: 1, documentTitle: 'Pricing', sectionPath: ['Plans'], page: null, snippet: 'Pro costs 49 € a month.' },
];

function run(...actions: ConversationAction[]): ConversationState {
  return actions.reduce(conversationReducer, newConversationState(bot));
}

const event = (e: ConversationEvent): ConversationAction => ({ type: 'event', event: e });
const message = (id: string, role: ApiMessage['role'], text: string, extra: Partial<ApiMessage> = {}): ApiMessage => ({
  id,
  role,
  text,
  createdAt: '2026-12-01T10:00:00.000Z',
  sources: [],
  authorName: null,
  ...extra,
});
const page = (messages: ApiMessage[], hasPreviousPage = false): MessageConnection => ({
  edges: messages.map((node) => ({ node })),
  pageInfo: { hasPreviousPage },
});

/** A visitor message sent from this browser (local id `local`, the server's `serverId`). */
const asked = (local: string, serverId: string, text: string): ConversationAction[] => [
  { type: 'visitorQueued', id: local, text },
  { type: 'visitorSent', id: local, message: { id: serverId } },
];
const reply = (seq: number, id: string, text: string, withSources: Source[] = []): ConversationAction[] => [
  event({ __typename: 'ReplyStarted', seq, messageId: id }),
  event({ __typename: 'ReplyDelta', seq: seq + 1, messageId: id, delta: text }),
  event({ __typename: 'ReplyCompleted', seq: seq + 2, requestsContact: false, message: message(id, 'ASSISTANT', text, { sources: withSources }) }),
];

/** What the visitor sees: kind, id and text of every message, in order. */
const shown = (messages: readonly ChatMessage[]) =>
  messages.map((m) => [m.kind, m.id, m.kind === 'notice' ? m.code : m.text, ...(m.kind === 'assistant' ? [m.status] : [])]);

describe('withStoredHistory', () => {
  it('adds what the server stored while this browser was away, in the server order, without doubles', () => {
    const local = run(...asked('local-1', 's1', 'How much is Pro?'), ...reply(1, 'a1', 'Pro is 49 € [1].', sources));
    const stored = page([
      message('s1', 'VISITOR', 'How much is Pro?'),
      message('a1', 'ASSISTANT', 'Pro is 49 € [1].', { sources }),
      message('g1', 'AGENT', 'Grace here: we also have a discount.', { authorName: 'Grace' }),
      message('s2', 'VISITOR', 'Thanks, asked from my phone'),
      message('a2', 'ASSISTANT', 'You are welcome!'),
    ]);

    const restored = withStoredHistory(local, stored);

    expect(shown(restored.messages)).toEqual([
      ['assistant', 'greeting', bot.greeting, 'complete'],
      // The local id stays: it is what a failed reply's retry points at.
      ['visitor', 'local-1', 'How much is Pro?'],
      ['assistant', 'a1', 'Pro is 49 € [1].', 'complete'],
      ['agent', 'g1', 'Grace here: we also have a discount.'],
      ['visitor', 's2', 'Thanks, asked from my phone'],
      ['assistant', 'a2', 'You are welcome!', 'complete'],
    ]);
    expect(restored.messages.find((m) => m.id === 'a1')).toMatchObject({ sources });
    expect(restored.messages.find((m) => m.id === 'g1')).toMatchObject({ authorName: 'Grace' });
    expect(restored.messages.find((m) => m.id === 'local-1')).toMatchObject({ serverId: 's1', status: 'sent' });
    // The live stream continues where this browser left it.
    expect(restored.lastSeq).toBe(local.lastSeq);
    // Restoring again (the next reload) changes nothing.
    expect(withStoredHistory(restored, stored).messages).toEqual(restored.messages);
  });

  it('shows a reply that was stored whole once, in place of the copy cut off when the tab closed', () => {
    const cutOff = run(
      ...asked('local-1', 's1', 'Tell me everything'),
      event({ __typename: 'ReplyStarted', seq: 1, messageId: 'a1' }),
      event({ __typename: 'ReplyDelta', seq: 2, messageId: 'a1', delta: 'part0 part1' }),
    );
    // Saved more than a day ago: the reply would be marked interrupted, its events pruned.
    const local = restoredState(cutOff, 0, EVENT_RETENTION_MS + 1);
    expect(local.messages.at(-1)).toMatchObject({ status: 'failed', errorCode: REPLY_INTERRUPTED });

    const restored = withStoredHistory(local, page([message('s1', 'VISITOR', 'Tell me everything'), message('a1', 'ASSISTANT', 'part0 part1 part2.')]));

    expect(shown(restored.messages)).toEqual([
      ['assistant', 'greeting', bot.greeting, 'complete'],
      ['visitor', 'local-1', 'Tell me everything'],
      ['assistant', 'a1', 'part0 part1 part2.', 'complete'],
    ]);
  });

  it('keeps a reply still streaming, which the replay after lastSeq then finishes once', () => {
    let state = run(
      ...asked('local-1', 's1', 'How much is Pro?'),
      ...reply(1, 'a1', 'Pro is 49 €.'),
      ...asked('local-2', 's2', 'And Team?'),
      event({ __typename: 'ReplyStarted', seq: 4, messageId: 'a2' }),
      event({ __typename: 'ReplyDelta', seq: 5, messageId: 'a2', delta: 'Team is ' }),
    );
    // The server stores a reply only once complete: a2 is not in its page yet.
    state = withStoredHistory(state, page([message('s1', 'VISITOR', 'How much is Pro?'), message('a1', 'ASSISTANT', 'Pro is 49 €.'), message('s2', 'VISITOR', 'And Team?')]));
    expect(shown(state.messages).at(-1)).toEqual(['assistant', 'a2', 'Team is ', 'streaming']);

    // The resubscription replays from lastSeq (5): the rest of the reply, then its completion; a replayed
    // ReplyCompleted of a stored reply and a visitor message's echo change nothing.
    for (const action of [
      event({ __typename: 'ReplyCompleted', seq: 3, requestsContact: false, message: message('a1', 'ASSISTANT', 'Pro is 49 €.') }),
      event({ __typename: 'ReplyDelta', seq: 6, messageId: 'a2', delta: '99 €.' }),
      event({ __typename: 'MessagePosted', seq: 7, message: message('s2', 'VISITOR', 'And Team?') }),
      event({ __typename: 'ReplyCompleted', seq: 8, requestsContact: false, message: message('a2', 'ASSISTANT', 'Team is 99 €.') }),
    ]) {
      state = conversationReducer(state, action);
    }

    expect(shown(state.messages)).toEqual([
      ['assistant', 'greeting', bot.greeting, 'complete'],
      ['visitor', 'local-1', 'How much is Pro?'],
      ['assistant', 'a1', 'Pro is 49 €.', 'complete'],
      ['visitor', 'local-2', 'And Team?'],
      ['assistant', 'a2', 'Team is 99 €.', 'complete'],
    ]);
  });

  it('keeps handoff notices, which only this browser has, after the message they followed', () => {
    const local = run(
      ...asked('local-1', 's1', 'A human, please'),
      event({ __typename: 'HandoffStatusChanged', seq: 1, status: 'WAITING_FOR_AGENT', agentName: null }),
      event({ __typename: 'HandoffStatusChanged', seq: 2, status: 'WITH_AGENT', agentName: 'Grace' }),
    );
    const restored = withStoredHistory(local, page([message('s1', 'VISITOR', 'A human, please'), message('g1', 'AGENT', 'Hi, Grace here.', { authorName: 'Grace' })]));
    expect(shown(restored.messages)).toEqual([
      ['assistant', 'greeting', bot.greeting, 'complete'],
      ['visitor', 'local-1', 'A human, please'],
      ['notice', 'handoff-1', 'waiting-for-agent'],
      ['notice', 'handoff-2', 'agent-joined'],
      ['agent', 'g1', 'Hi, Grace here.'],
    ]);
    expect(restored.handoff).toEqual({ status: 'WITH_AGENT', agentName: 'Grace' });
  });

  it('shows the latest page and says that earlier messages are not shown, dropping what this browser kept of them', () => {
    const local = run(
      ...asked('local-1', 's1', 'First question'),
      ...reply(1, 'a1', 'First answer'),
      event({ __typename: 'HandoffStatusChanged', seq: 4, status: 'WAITING_FOR_AGENT', agentName: null }),
      ...asked('local-2', 's2', 'Second question'),
      ...reply(5, 'a2', 'Second answer'),
    );
    const latest = page([message('s2', 'VISITOR', 'Second question'), message('a2', 'ASSISTANT', 'Second answer')], true);

    const restored = withStoredHistory(local, latest);

    expect(shown(restored.messages)).toEqual([
      ['assistant', 'greeting', bot.greeting, 'complete'],
      ['notice', EARLIER_NOT_SHOWN_ID, 'earlier-not-shown'],
      ['visitor', 'local-2', 'Second question'],
      ['assistant', 'a2', 'Second answer', 'complete'],
    ]);
    expect(withStoredHistory(restored, latest).messages).toEqual(restored.messages);
  });

  it('leaves only the greeting and notices when the server has none of the messages (the conversation was erased)', () => {
    const local = run(...asked('local-1', 's1', 'My e-mail is ada@example.com'), ...reply(1, 'a1', 'Noted.'));
    expect(shown(withStoredHistory(local, page([])).messages)).toEqual([['assistant', 'greeting', bot.greeting, 'complete']]);
  });
});

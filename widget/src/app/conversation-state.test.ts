import { describe, expect, it } from 'vitest';
import type { ConversationEvent, Source } from './api-types.ts';
import {
  conversationReducer,
  greetingMessage,
  initialConversationState,
  isReplyInProgress,
  settledMessages,
  type AssistantMessage,
  type ConversationAction,
  type ConversationState,
} from './conversation-state.ts';

const bot = { name: 'Ada', greeting: 'Hi! Ask me anything.' };

function run(...actions: ConversationAction[]): ConversationState {
  return actions.reduce(conversationReducer, {
    messages: [greetingMessage(bot)],
  } satisfies ConversationState);
}

const event = (e: ConversationEvent): ConversationAction => ({ type: 'event', event: e });
const started = (seq: number, messageId = 'm1') => event({ __typename: 'ReplyStarted', seq, messageId });
const delta = (seq: number, text: string, messageId = 'm1') =>
  event({ __typename: 'ReplyDelta', seq, messageId, delta: text });
const sources: Source[] = [{ marker: 1, documentTitle: 'Returns policy', snippet: 'Returns within 30 days.' }];
const completed = (seq: number, text: string, messageId = 'm1') =>
  event({
    __typename: 'ReplyCompleted',
    seq,
    message: { id: messageId, role: 'ASSISTANT', text, createdAt: '2026-11-22T00:00:00.000Z', sources },
  });
const failed = (seq: number, code: string, messageId = 'm1') =>
  event({ __typename: 'ReplyFailed', seq, messageId, code });

function assistant(state: ConversationState, id = 'm1'): AssistantMessage {
  const message = state.messages.find((m) => m.kind === 'assistant' && m.id === id);
  if (!message || message.kind !== 'assistant') throw new Error(`no assistant message ${id}`);
  return message;
}

describe('conversationReducer', () => {
  it('starts with the greeting as an assistant message', () => {
    const state = run();
    expect(state.messages).toEqual([
      expect.objectContaining({ kind: 'assistant', id: 'greeting', status: 'complete', text: bot.greeting }),
    ]);
  });

  it('shows the visitor message immediately and marks it sent with the server id', () => {
    let state = run({ type: 'visitorQueued', id: 'v1', text: 'Can I return shoes?' });
    expect(state.messages[1]).toMatchObject({ kind: 'visitor', id: 'v1', status: 'sending', serverId: null });
    state = conversationReducer(state, { type: 'visitorSent', id: 'v1', message: { id: 'srv-1' } });
    expect(state.messages[1]).toMatchObject({ id: 'v1', status: 'sent', serverId: 'srv-1' });
  });

  it('ReplyStarted adds a typing bubble that answers the last visitor message', () => {
    const state = run({ type: 'visitorQueued', id: 'v1', text: 'hi' }, started(1));
    expect(assistant(state)).toMatchObject({ status: 'typing', text: '', inReplyTo: 'v1' });
    expect(isReplyInProgress(state.messages)).toBe(true);
  });

  it('appends deltas in seq order', () => {
    const state = run(started(1), delta(2, 'You can '), delta(3, 'return them '), delta(4, 'within 30 days [1].'));
    expect(assistant(state)).toMatchObject({ status: 'streaming', text: 'You can return them within 30 days [1].' });
  });

  it('ignores a duplicated seq', () => {
    const state = run(started(1), delta(2, 'Hel'), delta(3, 'lo'), delta(3, 'lo'), delta(2, 'Hel'));
    expect(assistant(state).text).toBe('Hello');
  });

  it('returns the same state object for a duplicate, so React skips the render', () => {
    const before = run(started(1), delta(2, 'a'));
    expect(conversationReducer(before, delta(2, 'a'))).toBe(before);
    expect(conversationReducer(before, started(1))).toBe(before);
  });

  it('places an out-of-order delta by seq', () => {
    const state = run(started(1), delta(2, 'A'), delta(4, 'C'), delta(3, 'B'));
    expect(assistant(state).text).toBe('ABC');
  });

  it('creates the bubble from a delta whose ReplyStarted was missed', () => {
    const state = run(delta(5, 'partial'));
    expect(assistant(state)).toMatchObject({ status: 'streaming', text: 'partial' });
  });

  it('a late ReplyStarted does not wipe streamed text', () => {
    const state = run(delta(2, 'Hello'), started(1));
    expect(assistant(state)).toMatchObject({ status: 'streaming', text: 'Hello' });
  });

  it('ReplyCompleted replaces the streamed text with the stored text and adds sources', () => {
    const state = run(started(1), delta(2, 'You can retrun'), completed(3, 'You can return them [1].'));
    expect(assistant(state)).toMatchObject({
      status: 'complete',
      text: 'You can return them [1].',
      chunks: [],
      sources,
    });
    expect(isReplyInProgress(state.messages)).toBe(false);
  });

  it('ignores deltas that arrive after completion', () => {
    const done = run(started(1), delta(2, 'x'), completed(3, 'Final.'));
    expect(conversationReducer(done, delta(2, 'x'))).toBe(done);
    expect(assistant(conversationReducer(done, delta(9, ' more'))).text).toBe('Final.');
  });

  it('a ReplyCompleted without prior events still shows the answer', () => {
    const state = run(completed(7, 'Straight answer.'));
    expect(assistant(state)).toMatchObject({ status: 'complete', text: 'Straight answer.' });
  });

  it('keeps interleaved replies apart by message id', () => {
    const state = run(started(1, 'a'), started(2, 'b'), delta(3, 'A', 'a'), delta(4, 'B', 'b'), delta(5, 'A', 'a'));
    expect(assistant(state, 'a').text).toBe('AA');
    expect(assistant(state, 'b').text).toBe('B');
  });

  it('ReplyFailed marks the reply failed with its code and remembers the question', () => {
    const state = run({ type: 'visitorQueued', id: 'v1', text: 'hi' }, started(1), delta(2, 'Par'), failed(3, 'MODEL_ERROR'));
    expect(assistant(state)).toMatchObject({ status: 'failed', errorCode: 'MODEL_ERROR', text: 'Par', inReplyTo: 'v1' });
    // No further streaming into a failed reply.
    expect(conversationReducer(state, delta(4, 'tial'))).toBe(state);
  });

  it('ReplyFailed after completion is ignored', () => {
    const done = run(started(1), completed(2, 'ok'));
    expect(conversationReducer(done, failed(3, 'X'))).toBe(done);
  });

  it('a failed visitor message can be resent and removed messages disappear', () => {
    let state = run({ type: 'visitorQueued', id: 'v1', text: 'hi' }, { type: 'visitorFailed', id: 'v1', code: 'QUOTA_EXCEEDED' });
    expect(state.messages[1]).toMatchObject({ status: 'failed', errorCode: 'QUOTA_EXCEEDED' });
    state = conversationReducer(state, { type: 'visitorSending', id: 'v1' });
    expect(state.messages[1]).toMatchObject({ status: 'sending', errorCode: null });
    state = conversationReducer(state, { type: 'remove', id: 'v1' });
    expect(state.messages).toHaveLength(1);
  });

  it('ignores unknown event types from a newer server', () => {
    const state = run();
    const unknown = { type: 'event', event: { __typename: 'ReplyPaused', seq: 1 } } as unknown as ConversationAction;
    expect(conversationReducer(state, unknown)).toBe(state);
  });

  it('reset replaces the transcript', () => {
    const state = conversationReducer(initialConversationState, { type: 'reset', messages: [greetingMessage(bot)] });
    expect(state.messages).toHaveLength(1);
  });
});

describe('settledMessages', () => {
  it('keeps only delivered visitor messages and completed replies', () => {
    const state = run(
      { type: 'visitorQueued', id: 'v1', text: 'one' },
      { type: 'visitorSent', id: 'v1', message: { id: 's1' } },
      completed(2, 'answer', 'a1'),
      { type: 'visitorQueued', id: 'v2', text: 'two' },
      started(3, 'a2'),
      delta(4, 'stream', 'a2'),
    );
    expect(settledMessages(state.messages).map((m) => m.id)).toEqual(['greeting', 'v1', 'a1']);
  });
});

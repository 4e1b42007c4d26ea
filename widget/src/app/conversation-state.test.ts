import { describe, expect, it } from 'vitest';
import type { ConversationEvent, Source } from './api-types.ts';
import {
  adoptFromOtherTab,
  conversationReducer,
  EVENT_RETENTION_MS,
  greetingMessage,
  initialConversationState,
  isReplyInProgress,
  MAX_STORED_MESSAGES,
  newConversationState,
  persistableState,
  REPLY_INTERRUPTED,
  restoredState,
  type AssistantMessage,
  type ConversationAction,
  type ConversationState,
} from './conversation-state.ts';

const bot = { name: 'Ada', greeting: 'Hi! Ask me anything.' };

function run(...actions: ConversationAction[]): ConversationState {
  return actions.reduce(conversationReducer, newConversationState(bot));
}

const event = (e: ConversationEvent): ConversationAction => ({ type: 'event', event: e });
const started = (seq: number, messageId = 'm1') => event({ __typename: 'ReplyStarted', seq, messageId });
const delta = (seq: number, text: string, messageId = 'm1') =>
  event({ __typename: 'ReplyDelta', seq, messageId, delta: text });
const sources: Source[] = [
  { marker: 1, documentTitle: 'Returns policy', sectionPath: ['Returns'], page: null, snippet: 'Returns within 30 days.' },
];
const completed = (seq: number, text: string, messageId = 'm1', requestsContact = false) =>
  event({
    __typename: 'ReplyCompleted',
    seq,
    requestsContact,
    message: { id: messageId, role: 'ASSISTANT', text, createdAt: '2026-11-22T00:00:00.000Z', sources, authorName: null },
  });
const posted = (seq: number, id: string, role: 'AGENT' | 'VISITOR', text: string, authorName: string | null = null) =>
  event({
    __typename: 'MessagePosted',
    seq,
    message: { id, role, text, createdAt: '2026-11-22T00:00:00.000Z', sources: [], authorName },
  });
const handoff = (seq: number, status: 'BOT' | 'WAITING_FOR_AGENT' | 'WITH_AGENT', agentName: string | null = null) =>
  event({ __typename: 'HandoffStatusChanged', seq, status, agentName });
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
    expect(conversationReducer(state, delta(4, 'tial')).messages).toBe(state.messages);
  });

  it('ReplyFailed after completion is ignored', () => {
    const done = run(started(1), completed(2, 'ok'));
    expect(conversationReducer(done, failed(3, 'X')).messages).toBe(done.messages);
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
    const next = conversationReducer(state, unknown);
    expect(next.messages).toBe(state.messages);
    expect(next.lastSeq).toBe(1);
  });

  it('reset replaces the transcript', () => {
    const state = conversationReducer(initialConversationState, { type: 'reset', state: newConversationState(bot) });
    expect(state.messages).toEqual([greetingMessage(bot)]);
  });
});

describe('seq tracking (reconnects and reloads)', () => {
  it('a replay overlapping what arrived live adds no text twice and loses none', () => {
    // Live: 1..4, then the socket drops; the replay after lastSeq repeats nothing, but a replay
    // from an older seq (a stale resume point) repeats 3..4 before continuing with 5..6.
    const live = run(started(1), delta(2, 'The Pro '), delta(3, 'plan costs '), delta(4, '29 '));
    expect(live.lastSeq).toBe(4);
    const resumed = [delta(3, 'plan costs '), delta(4, '29 '), delta(5, 'dollars '), delta(6, 'a month.')].reduce(conversationReducer, live);
    expect(assistant(resumed).text).toBe('The Pro plan costs 29 dollars a month.');
    expect(resumed.lastSeq).toBe(6);
  });

  it('resumes after the last seq up to which every event arrived', () => {
    const state = run(started(1), delta(2, 'A'), delta(4, 'C'));
    expect(state).toMatchObject({ lastSeq: 2, seenAbove: [4] });
    const filled = conversationReducer(state, delta(3, 'B'));
    expect(filled).toMatchObject({ lastSeq: 4, seenAbove: [] });
    expect(assistant(filled).text).toBe('ABC');
  });

  it('a reload mid-reply keeps the streamed part and continues it from the stored seq', () => {
    const before = run({ type: 'visitorQueued', id: 'v1', text: 'price?' }, { type: 'visitorSent', id: 'v1', message: { id: 's1' } }, started(1), delta(2, 'It is '));
    const stored = JSON.parse(JSON.stringify(persistableState(before))) as ConversationState;
    expect(stored.lastSeq).toBe(2);
    // The new page subscribes with afterSeq 2 and the server replays 3 onwards.
    const after = [delta(3, '29 dollars.'), completed(4, 'It is 29 dollars.')].reduce(conversationReducer, stored);
    expect(assistant(after)).toMatchObject({ status: 'complete', text: 'It is 29 dollars.' });
    expect(after.messages.map((m) => m.id)).toEqual(['greeting', 'v1', 'm1']);
  });

  it('avatar cues advance the seq without touching the transcript', () => {
    const state = run(started(1));
    const next = conversationReducer(state, event({ __typename: 'AvatarCue', seq: 2, messageId: 'm1', phase: 'listening', slot: 'listen', intensity: 0.5 }));
    expect(next.messages).toBe(state.messages);
    expect(next.lastSeq).toBe(2);
  });
});

describe('handoff and agent messages', () => {
  it('shows the wait, the agent joining with their messages, and the return to the bot', () => {
    let state = run({ type: 'visitorQueued', id: 'v1', text: 'a human please' }, handoff(1, 'WAITING_FOR_AGENT'));
    expect(state.handoff).toEqual({ status: 'WAITING_FOR_AGENT', agentName: null });
    expect(state.messages.at(-1)).toMatchObject({ kind: 'notice', code: 'waiting-for-agent' });
    // A person is on the way and the bot keeps answering: the contact form would only crowd the transcript.
    expect(state.contactForm).toBe('hidden');

    state = [handoff(2, 'WITH_AGENT', 'Grace'), posted(3, 'a1', 'AGENT', 'Hi, Grace here.', 'Grace')].reduce(conversationReducer, state);
    expect(state.handoff).toEqual({ status: 'WITH_AGENT', agentName: 'Grace' });
    expect(state.contactForm).toBe('hidden');
    expect(state.messages.slice(-2)).toEqual([
      expect.objectContaining({ kind: 'notice', code: 'agent-joined', agentName: 'Grace', text: 'Grace joined the conversation.' }),
      { kind: 'agent', id: 'a1', text: 'Hi, Grace here.', authorName: 'Grace' },
    ]);

    state = conversationReducer(state, handoff(4, 'BOT', 'Grace'));
    expect(state.handoff).toEqual({ status: 'BOT', agentName: null });
    expect(state.messages.at(-1)).toMatchObject({ kind: 'notice', code: 'agent-left', agentName: 'Grace' });
  });

  it('matches the echo of a visitor message to the one sent here, even before sendMessage returned', () => {
    let state = run({ type: 'visitorQueued', id: 'v1', text: 'still there?' }, posted(1, 's1', 'VISITOR', 'still there?'));
    expect(state.messages.filter((m) => m.kind === 'visitor')).toEqual([
      expect.objectContaining({ id: 'v1', serverId: 's1', status: 'sent' }),
    ]);
    state = conversationReducer(state, { type: 'visitorSent', id: 'v1', message: { id: 's1' } });
    expect(state.messages.filter((m) => m.kind === 'visitor')).toHaveLength(1);
    // A message sent from another tab of the same conversation appears here too.
    state = conversationReducer(state, posted(2, 's2', 'VISITOR', 'from my phone'));
    expect(state.messages.at(-1)).toMatchObject({ kind: 'visitor', serverId: 's2', text: 'from my phone', status: 'sent' });
  });
});

const unavailable = (seq: number, reason: 'CLOSED' | 'NO_AGENT_ONLINE' | 'TIMED_OUT', nextOpeningAt: string | null = null) =>
  event({ __typename: 'HandoffUnavailable', seq, cause: reason, nextOpeningAt });

describe('handoff by the visitor\'s choice', () => {
  it('offers a person after a reply that says so, until the visitor answers or writes again', () => {
    let state = run(started(1), completed(2, 'I do not know. Would you like me to connect you with someone from the team?', 'm1', true));
    expect(state.handoffOffer).toBe(true);
    // The offer alone does not bring up the contact form.
    expect(state.contactForm).toBe('hidden');
    expect(conversationReducer(state, { type: 'handoffOfferClosed' }).handoffOffer).toBe(false);
    state = conversationReducer(state, { type: 'visitorQueued', id: 'v2', text: 'no thanks' });
    expect(state.handoffOffer).toBe(false);
    expect(run(started(1), completed(2, 'It is 29 dollars.')).handoffOffer).toBe(false);
  });

  it('shows the bot\'s acknowledgement of "no thanks" as its message', () => {
    const state = run(started(1), completed(2, '…', 'm1', true), event({
      __typename: 'MessagePosted', seq: 3,
      message: { id: 'a1', role: 'ASSISTANT', text: 'No problem.', authorName: null, createdAt: '2026-12-07T10:00:00Z', sources: [] },
    }));
    expect(state.messages.at(-1)).toMatchObject({ kind: 'assistant', id: 'a1', status: 'complete', text: 'No problem.' });
  });

  it('offers the contact form when nobody can come, says why and when people are back, and keeps a sent form sent', () => {
    let state = run(started(1), completed(2, '…', 'm1', true), unavailable(3, 'CLOSED', '2026-12-07T08:00:00.000Z'));
    expect(state.handoffOffer).toBe(false);
    expect(state.unavailable).toEqual({ reason: 'CLOSED', nextOpeningAt: '2026-12-07T08:00:00.000Z' });
    expect(state.contactForm).toBe('offered');
    expect(state.messages.at(-1)).toMatchObject({ kind: 'notice', code: 'handoff-unavailable', unavailable: { reason: 'CLOSED' } });
    state = conversationReducer(state, { type: 'contactForm', state: 'submitted' });
    expect(conversationReducer(state, unavailable(4, 'NO_AGENT_ONLINE')).contactForm).toBe('submitted');
    // Offered again after the visitor dismissed it once: they asked for a person and none can come.
    const dismissed = conversationReducer(run(unavailable(1, 'NO_AGENT_ONLINE')), { type: 'contactForm', state: 'dismissed' });
    expect(conversationReducer(dismissed, unavailable(2, 'NO_AGENT_ONLINE')).contactForm).toBe('offered');
  });

  it('returns to the bot when a wait is cancelled or times out, with its own notice', () => {
    const state = run(handoff(1, 'WAITING_FOR_AGENT'), handoff(2, 'BOT'), unavailable(3, 'TIMED_OUT'));
    expect(state.handoff).toEqual({ status: 'BOT', agentName: null });
    expect(state.messages.map((m) => (m.kind === 'notice' ? m.code : m.kind))).toEqual(['assistant', 'waiting-for-agent', 'handoff-ended', 'handoff-unavailable']);
    expect(state.contactForm).toBe('offered');
  });
});

describe('persistableState', () => {
  it('keeps delivered and streaming messages, drops undelivered ones, failed replies and the restart notice', () => {
    const state = run(
      { type: 'visitorQueued', id: 'v1', text: 'one' },
      { type: 'visitorSent', id: 'v1', message: { id: 's1' } },
      completed(1, 'answer', 'a1'),
      { type: 'visitorQueued', id: 'v2', text: 'two' },
      started(2, 'a2'),
      failed(3, 'MODEL_ERROR', 'a2'),
      started(4, 'a3'),
      delta(5, 'stream', 'a3'),
      { type: 'notice', notice: { kind: 'notice', id: 'n1', code: 'session-restarted', agentName: null, text: 'x' } },
    );
    const stored = persistableState(state);
    expect(stored.messages.map((m) => m.id)).toEqual(['greeting', 'v1', 'a1', 'a3']);
    expect(stored.lastSeq).toBe(5);
  });

  it('keeps only the newest messages of a long chat', () => {
    const many = Array.from({ length: MAX_STORED_MESSAGES + 50 }, (_, i) => completed(i + 1, `answer ${i}`, `a${i}`));
    const stored = persistableState(run(...many));
    expect(stored.messages).toHaveLength(MAX_STORED_MESSAGES);
    expect(stored.messages.at(-1)).toMatchObject({ id: `a${MAX_STORED_MESSAGES + 49}` });
  });
});

describe('adoptFromOtherTab', () => {
  const askedHere = run({ type: 'visitorQueued', id: 'v1', text: 'one' }, { type: 'visitorSent', id: 'v1', message: { id: 's1' } }, completed(1, 'answer one', 'a1'));

  it('takes a question asked in the other tab, keeping messages still being sent here', () => {
    const other = conversationReducer(
      conversationReducer(askedHere, { type: 'visitorQueued', id: 'v2', text: 'asked there' }),
      { type: 'visitorSent', id: 'v2', message: { id: 's2' } },
    );
    const here = conversationReducer(askedHere, { type: 'visitorQueued', id: 'v3', text: 'typed here' });
    const adopted = adoptFromOtherTab(here, persistableState(other));
    expect(adopted.messages.map((m) => m.id)).toEqual(['greeting', 'v1', 'a1', 'v2', 'v3']);
  });

  it("keeps its own question when the other tab, ahead in the stream, saved without it", () => {
    const asked = [
      { type: 'visitorQueued', id: 'v2', text: 'asked here' },
      { type: 'visitorSent', id: 'v2', message: { id: 's2' } },
    ] satisfies ConversationAction[];
    const here = asked.reduce(conversationReducer, askedHere);
    const otherAhead = [started(2, 'a2'), delta(3, 'answer ', 'a2')].reduce(conversationReducer, askedHere);
    const merged = adoptFromOtherTab(here, persistableState(otherAhead));
    expect(merged.messages.map((m) => m.id)).toEqual(['greeting', 'v1', 'a1', 'v2', 'a2']);
    expect(merged.lastSeq).toBe(3);
    // The other tab, merging this tab's save in turn, ends up with the same transcript and stops.
    const back = adoptFromOtherTab(otherAhead, persistableState(merged));
    expect(back.messages.map((m) => m.id)).toEqual(['greeting', 'v1', 'a1', 'v2', 'a2']);
    expect(adoptFromOtherTab(back, persistableState(merged))).toBe(back);
  });

  it('does not double a visitor message both tabs know under different ids', () => {
    const here = conversationReducer(
      conversationReducer(askedHere, { type: 'visitorQueued', id: 'local-1', text: 'hello' }),
      { type: 'visitorSent', id: 'local-1', message: { id: 's9' } },
    );
    const other = conversationReducer(askedHere, posted(2, 's9', 'VISITOR', 'hello'));
    expect(adoptFromOtherTab(here, persistableState(other)).messages.filter((m) => m.kind === 'visitor')).toHaveLength(2);
  });

  it('returns its own state when nothing is new, and keeps the furthest contact form state', () => {
    expect(adoptFromOtherTab(askedHere, persistableState(askedHere))).toBe(askedHere);
    const submitted = conversationReducer(askedHere, { type: 'contactForm', state: 'submitted' });
    expect(adoptFromOtherTab(askedHere, persistableState(submitted)).contactForm).toBe('submitted');
    expect(adoptFromOtherTab(submitted, persistableState(askedHere)).contactForm).toBe('submitted');
  });
});

describe('a reply left unfinished beyond the event retention', () => {
  const visitorAsked: ConversationAction[] = [
    { type: 'visitorQueued', id: 'v1', text: 'How do returns work?' },
    { type: 'visitorSent', id: 'v1', message: { id: 'server-v1' } },
  ];
  // The tab closed here: the reply had streamed two words.
  const closedMidReply = persistableState(run(...visitorAsked, started(1), delta(2, 'Returns '), delta(3, 'are ')));
  const savedAt = Date.parse('2026-11-20T08:00:00Z');

  it('is marked interrupted on restore when saved longer ago than the server keeps events, with a retry target', () => {
    const restored = restoredState(closedMidReply, savedAt, savedAt + EVENT_RETENTION_MS + 1);
    expect(assistant(restored)).toMatchObject({ status: 'failed', errorCode: REPLY_INTERRUPTED, text: 'Returns are ', inReplyTo: 'v1' });
    expect(isReplyInProgress(restored.messages)).toBe(false);
    // Kept for the next reload, retry and all.
    expect(assistant(persistableState(restored)).errorCode).toBe(REPLY_INTERRUPTED);
  });

  it('keeps streaming on restore within the retention (or without a saved time): the replay continues it', () => {
    expect(restoredState(closedMidReply, savedAt, savedAt + EVENT_RETENTION_MS - 60_000)).toBe(closedMidReply);
    expect(restoredState(closedMidReply, undefined, savedAt + 7 * EVENT_RETENTION_MS)).toBe(closedMidReply);
    const resumed = [{ type: 'replayStarts', seq: 4 } as const, delta(4, 'easy.'), completed(5, 'Returns are easy.')].reduce(
      conversationReducer,
      closedMidReply,
    );
    expect(assistant(resumed)).toMatchObject({ status: 'complete', text: 'Returns are easy.' });
  });

  it("is marked interrupted when the subscription's replay starts after it, and the pruned seqs are not waited for", () => {
    // Events 4..9 were pruned; the first one the resubscription delivers is 10, a later question's.
    const after = [{ type: 'replayStarts', seq: 10 } as const, started(10, 'm2'), delta(11, 'Hello', 'm2')].reduce(
      conversationReducer,
      closedMidReply,
    );
    expect(assistant(after)).toMatchObject({ status: 'failed', errorCode: REPLY_INTERRUPTED });
    expect(assistant(after, 'm2')).toMatchObject({ status: 'streaming', text: 'Hello' });
    expect(after.lastSeq).toBe(11);
    expect(after.seenAbove).toEqual([]);
    // A late delta for the interrupted reply changes nothing; a stored completion still wins.
    expect(assistant(conversationReducer(after, delta(12, 'x'))).text).toBe('Returns are ');
  });
});

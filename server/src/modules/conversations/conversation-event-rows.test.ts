import { describe, expect, it } from 'vitest';
import type { ConversationEvent } from '@mascot/events';
import { eventRuns, MAX_RUN } from './conversation-event-rows.ts';

const MESSAGE_ID = '00000000-0000-4000-8000-000000000001';
const delta = (seq: number): ConversationEvent => ({ type: 'ReplyDelta', seq, messageId: MESSAGE_ID, delta: ` t${seq}` });
const seqsOf = (runs: ConversationEvent[][]) => runs.map((run) => run.map((e) => e.seq));

describe('eventRuns', () => {
  it('keeps consecutive seqs in one row', () => {
    expect(seqsOf(eventRuns([4, 5, 6, 7].map(delta)))).toEqual([[4, 5, 6, 7]]);
  });

  it('starts a new row at a gap in the seqs, so rows never overlap another writer’s', () => {
    // 8..10 were numbered by someone else while this reply held a lease.
    expect(seqsOf(eventRuns([5, 6, 7, 11, 12].map(delta)))).toEqual([[5, 6, 7], [11, 12]]);
  });

  it('caps a row so one jsonb value never grows without bound', () => {
    const runs = eventRuns(Array.from({ length: MAX_RUN * 2 + 3 }, (_, i) => delta(i + 1)));
    expect(runs.map((run) => run.length)).toEqual([MAX_RUN, MAX_RUN, 3]);
    expect(runs.flat().map((e) => e.seq)).toEqual(Array.from({ length: MAX_RUN * 2 + 3 }, (_, i) => i + 1));
  });

  it('writes nothing for no events', () => {
    expect(eventRuns([])).toEqual([]);
  });
});

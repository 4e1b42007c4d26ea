import { describe, expect, it } from 'vitest';
import { checkIntegrity, letterTag, tagIn, tokenArrivals, tokenLateness, type ReceivedEvent } from './stream-metrics.ts';

const delta = (seq: number, at: number, text: string): ReceivedEvent => ({ seq, at, typename: 'ReplyDelta', text });

describe('stream metrics', () => {
  it('gives every token the arrival time of the delta that completed it', () => {
    const events = [
      { seq: 1, at: 5, typename: 'ReplyStarted' },
      delta(2, 10, 'The'),
      delta(3, 20, ' Pro plan'),
      delta(4, 30, ' costs'),
    ];
    expect(tokenArrivals(events)).toEqual([10, 20, 20, 30]);
  });

  it('measures lateness against the producer stamps it has, token by token', () => {
    expect(tokenLateness([10, 20, 20, 30], [8, 15, 18])).toEqual([2, 5, 2]);
  });

  it('counts nothing lost or doubled when the deltas spell the stored text in seq order', () => {
    const events = [{ seq: 7, at: 0, typename: 'ConversationSubscribed' }, delta(8, 1, 'The'), delta(9, 2, ' plan'), { seq: 10, at: 3, typename: 'ReplyCompleted' }];
    expect(checkIntegrity(events, 'The plan')).toEqual({ lostTokens: 0, duplicatedTokens: 0, seqGaps: 0, seqRepeats: 0 });
  });

  it('tells a lost token from a doubled one', () => {
    const lost = [delta(1, 1, 'The'), delta(3, 3, ' costs')];
    expect(checkIntegrity(lost, 'The plan costs')).toEqual({ lostTokens: 1, duplicatedTokens: 0, seqGaps: 1, seqRepeats: 0 });
    const doubled = [delta(1, 1, 'The'), delta(2, 2, ' plan'), delta(2, 3, ' plan'), delta(3, 4, ' costs')];
    expect(checkIntegrity(doubled, 'The plan costs')).toEqual({ lostTokens: 0, duplicatedTokens: 1, seqGaps: 0, seqRepeats: 1 });
  });

  it('round-trips a visitor tag through a question, letters only', () => {
    expect(letterTag(0)).toBe('qa');
    expect(letterTag(27)).toBe('qbb');
    expect(tagIn(`What does the Pro plan include? (ref ${letterTag(1999)})`)).toBe(letterTag(1999));
    expect(letterTag(1999)).toMatch(/^q[a-z]+$/);
  });
});

import { describe, expect, it } from 'vitest';
import { OFFER_HUMAN_MODES } from '@mascot/bot-bundle';
import { HANDOFF_MIN_PASSAGE_SCORE, asksForPerson, handsOverOnRequest, handsOverWhenUnsure, isBotUnsure, isReplyGrounded } from './handoff.policy.ts';

describe('handoff policy', () => {
  it("follows personality.offerHuman: never, on request only, or also when unsure", () => {
    const table = OFFER_HUMAN_MODES.map((mode) => [mode, handsOverOnRequest(mode), handsOverWhenUnsure(mode)]);
    expect(table).toEqual([
      ['never', false, false],
      ['when-unsure', true, true],
      ['on-request', true, false],
      ['always', true, true],
    ]);
  });

  it('is unsure when no passage reaches the retrieval threshold, including when nothing was retrieved', () => {
    expect(isBotUnsure([])).toBe(true);
    expect(isBotUnsure([{ score: HANDOFF_MIN_PASSAGE_SCORE - 0.01 }, { score: 0.1 }])).toBe(true);
    expect(isBotUnsure([{ score: 0.1 }, { score: HANDOFF_MIN_PASSAGE_SCORE }])).toBe(false);
  });

  it('takes a reply that cites the knowledge as grounded, even when its passage scored below the threshold', () => {
    // The demo guide's pricing section scores 0.297 for "How much does the Pro plan cost?" and answers it.
    const belowThreshold = [{ score: HANDOFF_MIN_PASSAGE_SCORE - 0.01 }, { score: 0.08 }];
    expect(isReplyGrounded(belowThreshold, 1)).toBe(true);
    expect(isReplyGrounded(belowThreshold, 0)).toBe(false);
    expect(isReplyGrounded([{ score: HANDOFF_MIN_PASSAGE_SCORE }], 0)).toBe(true);
    expect(isReplyGrounded([], 0)).toBe(false);
  });

  it('hears a request for a person, not a question about prices', () => {
    expect(asksForPerson('Can I talk to a human, please?')).toBe(true);
    expect(asksForPerson('Ich möchte mit einem Mitarbeiter sprechen')).toBe(true);
    expect(asksForPerson('I want to talk to a human, my email is ada@example.com')).toBe(true);
    expect(asksForPerson('How much does the Pro plan cost?')).toBe(false);
    expect(asksForPerson('What is the capital of Peru?')).toBe(false);
  });
});

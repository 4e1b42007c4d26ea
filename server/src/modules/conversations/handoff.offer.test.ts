import { describe, expect, it } from 'vitest';
import { acceptsOffer, declinesOffer, replyHandoffContextOf, replyHandoffLine, WAITING_NOTE } from './handoff.offer.ts';
import { isReplyGrounded } from './handoff.policy.ts';

const context = (status: 'BOT' | 'WAITING_FOR_AGENT' | 'WITH_AGENT', mode: 'never' | 'on-request' | 'when-unsure' | 'always' = 'when-unsure', waitingNoted = false) =>
  ({ mode, status, waitingNoted });

describe('what a reply says about people', () => {
  it('offers a person exactly when unsure and the bot offers one, and says so in requestsContact', () => {
    for (const mode of ['when-unsure', 'always'] as const) {
      expect(replyHandoffLine(context('BOT', mode), false, 'friendly')).toEqual({
        text: ' Would you like me to connect you with someone from the team?', requestsContact: true,
      });
    }
    for (const mode of ['never', 'on-request'] as const) expect(replyHandoffLine(context('BOT', mode), false, 'friendly')).toEqual({ text: '', requestsContact: false });
    expect(replyHandoffLine(context('BOT'), true, 'friendly')).toEqual({ text: '', requestsContact: false });
    expect(replyHandoffLine(context('BOT'), false, 'professional').text).toBe(' I can connect you with a member of our team if you wish.');
  });

  it('says once that a person is on the way while waiting, and with every reply it cannot answer, offering nothing', () => {
    expect(replyHandoffLine(context('WAITING_FOR_AGENT'), true, 'friendly')).toEqual({ text: `\n\n${WAITING_NOTE}`, requestsContact: false });
    expect(replyHandoffLine(context('WAITING_FOR_AGENT', 'when-unsure', true), true, 'friendly')).toEqual({ text: '', requestsContact: false });
    const unsure = replyHandoffLine(context('WAITING_FOR_AGENT', 'when-unsure', true), false, 'friendly');
    expect(unsure.requestsContact).toBe(false);
    expect(unsure.text).toMatch(/asked to join/);
  });

  it('knows whether the bot already said a person was asked to join, from the messages since the wait began', () => {
    const since = new Date('2026-12-07T10:00:00Z');
    const waiting = { status: 'WAITING_FOR_AGENT' as const, handoffRequestedAt: since };
    expect(replyHandoffContextOf(waiting, 'when-unsure', [{ role: 'ASSISTANT', createdAt: new Date('2026-12-07T09:59:00Z') }]).waitingNoted).toBe(false);
    expect(replyHandoffContextOf(waiting, 'when-unsure', [{ role: 'ASSISTANT', createdAt: new Date('2026-12-07T10:01:00Z') }]).waitingNoted).toBe(true);
    expect(replyHandoffContextOf({ status: 'BOT', handoffRequestedAt: null }, 'never', []).waitingNoted).toBe(false);
  });

  it("follows a provider's own verdict when it has one: nothing to quote is unsure, whatever the retrieval scores", () => {
    expect(isReplyGrounded([{ score: 0.9 }], 0, false)).toBe(false);
    expect(isReplyGrounded([{ score: 0.1 }], 0, true)).toBe(true);
    expect(isReplyGrounded([{ score: 0.9 }], 0)).toBe(true);
    expect(isReplyGrounded([{ score: 0.1 }], 0)).toBe(false);
  });
});

describe('answers to the offer of a person', () => {
  it('hears short yeses and noes, in a few languages', () => {
    for (const yes of ['yes', 'Yes please', 'yes, please connect me', 'Sure!', 'ok', 'Ja, gerne', 'oui', 'sí']) expect(acceptsOffer(yes), yes).toBe(true);
    for (const no of ['no', 'No thanks', "no thank you, I'm fine", "I'm good", 'nein danke', 'non merci']) expect(declinesOffer(no), no).toBe(true);
  });

  it('takes a question or a long message for a new message, not an answer', () => {
    expect(acceptsOffer('Yes, but how much does the Pro plan cost?')).toBe(false);
    expect(acceptsOffer('ok so I was wondering whether you ship to Canada and how long it takes')).toBe(false);
    expect(declinesOffer('No, what I meant is the refund policy?')).toBe(false);
    expect(acceptsOffer('no thanks')).toBe(false);
    expect(declinesOffer('yes')).toBe(false);
  });
});

import { classifyIntent } from '@mascot/avatar-core';
import type { OfferHumanMode } from '@mascot/bot-bundle';

/**
 * Below this retrieval score (cosine similarity, 0..1) no passage is taken to answer the question,
 * and the bot is not confident. Measured with the offline embedder on the test price list: passages
 * that answer the question score 0.47–0.68, unrelated ones (capital of Peru, refunds, "help with my
 * order") -0.16–0.23.
 */
export const HANDOFF_MIN_PASSAGE_SCORE = 0.3;

/**
 * `personality.offerHuman` decides when a conversation goes to a person: `never` (the bot has no team
 * behind it), `on-request` (only when the visitor asks), `when-unsure` and `always` (also when the
 * knowledge does not cover the question).
 */
export function handsOverOnRequest(mode: OfferHumanMode): boolean {
  return mode !== 'never';
}

export function handsOverWhenUnsure(mode: OfferHumanMode): boolean {
  return mode === 'when-unsure' || mode === 'always';
}

/** The visitor asks for a person ("can I talk to a human?"), by the intent classifier. */
export function asksForPerson(text: string): boolean {
  return classifyIntent(text).intent === 'wants_human';
}

/** No retrieved passage is relevant enough to answer from. */
export function isBotUnsure(passages: readonly { score: number }[]): boolean {
  return !passages.some((passage) => passage.score >= HANDOFF_MIN_PASSAGE_SCORE);
}

/**
 * Whether a finished reply answered from the knowledge: a passage reached the retrieval threshold, or
 * the reply quotes and cites one. The threshold alone is a blunt measure (a long section that answers
 * the question can score below it: the demo guide's pricing section scores 0.297 for "How much does
 * the Pro plan cost?"), while a citation means the answer rests on that passage.
 */
export function isReplyGrounded(passages: readonly { score: number }[], citations: number): boolean {
  return citations > 0 || !isBotUnsure(passages);
}

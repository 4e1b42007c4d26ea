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
 * `personality.offerHuman` decides when a person is offered: `never` (the bot has no team behind it),
 * `on-request` (only when the visitor asks), `when-unsure` and `always` (an unsure reply also offers one;
 * the conversation joins the agents' queue only when the visitor accepts, see handoff.offer.ts).
 */
export function handsOverOnRequest(mode: OfferHumanMode): boolean {
  return mode !== 'never';
}

export function handsOverWhenUnsure(mode: OfferHumanMode): boolean {
  return mode === 'when-unsure' || mode === 'always';
}

/** How strongly the classifier must hear a wish for a person when another intent scores higher. */
const WANTS_HUMAN_SCORE = 2;

/**
 * The visitor asks for a person ("can I talk to a human?"), by the intent classifier. Also when the same
 * message does something else too: "I want to talk to a human, my email is …" is classified as giving
 * contact details, and still asks for a person.
 */
export function asksForPerson(text: string): boolean {
  const { intent, scores } = classifyIntent(text);
  return intent === 'wants_human' || (scores['wants_human'] ?? 0) >= WANTS_HUMAN_SCORE;
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
export function isReplyGrounded(passages: readonly { score: number }[], citations: number, providerVerdict?: boolean): boolean {
  // A provider with its own verdict knows best (the offline answerer can find no sentence to quote in a
  // passage scoring above the threshold: it wrote "I don't know", unsure whatever the scores).
  if (providerVerdict !== undefined) return providerVerdict;
  return citations > 0 || !isBotUnsure(passages);
}

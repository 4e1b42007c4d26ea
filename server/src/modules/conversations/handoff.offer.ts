import type { OfferHumanMode } from '@mascot/bot-bundle';
import type { ConversationStatus } from '@mascot/events';
import { humanOfferFor, type AnswerTone } from '@mascot/knowledge-core';
import { handsOverWhenUnsure } from './handoff.policy.ts';

/*
 * What a bot reply says about people, decided in one place. The provider is asked never to offer a
 * person itself (persona.offerHuman is false on the visitor's reply path); the line below is appended
 * to the streamed text by the reply pipeline, and the same decision sets ReplyCompleted.requestsContact,
 * so the text and the event always agree (issue 14: some replies offered a person while the event said
 * no contact was requested).
 */

/** What the reply path knows about handoff when it starts a reply (read with the context, no extra query). */
export interface ReplyHandoffContext {
  mode: OfferHumanMode;
  status: ConversationStatus;
  /** While waiting: a bot reply since the wait began already said that a person was asked to join. */
  waitingNoted: boolean;
}

/** What the finished reply adds and announces. */
export interface ReplyHandoffLine {
  /** Appended to the reply's text (with its leading space or blank line), or ''. */
  text: string;
  /** The text offers the visitor a person: the widget shows Accept / No thanks. */
  requestsContact: boolean;
}

export const WAITING_NOTE = 'A person from the team has been asked to join; until then I am happy to keep helping.';
export const WAITING_UNSURE = 'A person from the team has been asked to join and can pick this question up.';

export function replyHandoffContextOf(
  conversation: { status: ConversationStatus; handoffRequestedAt?: Date | null },
  mode: OfferHumanMode,
  recent: readonly { role: string; createdAt: Date }[],
): ReplyHandoffContext {
  const since = conversation.handoffRequestedAt?.getTime() ?? Infinity;
  return {
    mode,
    status: conversation.status,
    waitingNoted: recent.some((m) => m.role === 'ASSISTANT' && m.createdAt.getTime() >= since),
  };
}

/**
 * The line for a finished reply: an unsure reply with the bot's team behind it offers a person (and
 * says so in the event); while a person is on the way the bot says so once, or with every reply it
 * cannot answer, and offers nothing more.
 */
export function replyHandoffLine(context: ReplyHandoffContext, grounded: boolean, tone: AnswerTone): ReplyHandoffLine {
  if (context.status === 'BOT') {
    if (grounded || !handsOverWhenUnsure(context.mode)) return { text: '', requestsContact: false };
    return { text: ` ${humanOfferFor({ tone })}`, requestsContact: true };
  }
  if (context.status === 'WAITING_FOR_AGENT') {
    if (!grounded) return { text: ` ${WAITING_UNSURE}`, requestsContact: false };
    if (!context.waitingNoted) return { text: `\n\n${WAITING_NOTE}`, requestsContact: false };
  }
  return { text: '', requestsContact: false };
}

const fold = (text: string) =>
  text.normalize('NFKC').toLowerCase().replace(/[\p{P}\p{S}]+/gu, ' ').replace(/\s+/g, ' ').trim();

const YES = /^(?:yes|yeah|yep|yup|sure|ok|okay|please|please do|go ahead|do it|connect me|that would be great|i would like that|i d like that|ja|gerne|oui|sí|si|claro)(?=\s|$)/;
const NO = /^(?:no|nope|nah|not now|not needed|no need|i m good|im good|i am good|i m fine|that s ok|thats ok|never mind|nevermind|nein|non|no gracias)(?=\s|$)/;

/** A short reply right after an offer that accepts it ("yes", "sure, please connect me"); not a new question. */
export function acceptsOffer(text: string): boolean {
  const folded = fold(text);
  return !text.includes('?') && folded.split(' ').length <= 8 && YES.test(folded) && !NO.test(folded);
}

/** A short reply right after an offer that declines it ("no thanks", "I'm good"). */
export function declinesOffer(text: string): boolean {
  const folded = fold(text);
  return !text.includes('?') && folded.split(' ').length <= 8 && NO.test(folded);
}

/** What the bot says when the visitor declined the offer in a message. */
export const DECLINED_REPLY = 'No problem, I will keep helping. What else would you like to know?';

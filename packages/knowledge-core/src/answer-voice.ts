// The few fixed phrases of the offline answerer, per tone. They frame a quoted answer or
// admit that the knowledge does not cover the question; none of them states a fact, so
// they cannot put words in the business's mouth.

import { foldText } from './normalize-text.ts';
import { hashString } from './hash-string.ts';

export type AnswerTone = 'friendly' | 'professional' | 'playful' | 'concise';

export type AnswerVoice = {
  /** The mascot's name. Not used by the fixed phrases yet; kept so every provider gets the same voice. */
  botName: string;
  tone: AnswerTone;
  /** Replaces the default "I don't know" sentence when set. */
  unknownAnswer?: string;
  /** Offer to connect a human when the answer is unknown. Default true. */
  offerHuman?: boolean;
};

// An empty string means "no opener": professional answers sometimes start with the fact.
const OPENERS: Record<AnswerTone, readonly string[]> = {
  friendly: ['Good question!', 'Happy to help!', 'Sure thing!'],
  professional: ['', 'Here is what I found:', 'According to our information:'],
  playful: ['Ooh, I can help with that!', 'Let me dig that up for you!', 'Great question!'],
  concise: [''],
};

const UNKNOWN: Record<AnswerTone, string> = {
  friendly: "I'm sorry, I don't know that from what I've been given.",
  professional: "I don't have information about that in the material I've been given.",
  playful: "Hmm, that one isn't in my notes, and I'd rather not guess!",
  concise: "I don't know that from what I've been given.",
};

const HUMAN_OFFER: Record<AnswerTone, string> = {
  friendly: 'Would you like me to connect you with someone from the team?',
  professional: 'I can connect you with a member of our team if you wish.',
  playful: 'Want me to fetch a human who can help?',
  concise: 'I can connect you with a person.',
};

// The same question always gets the same opener (answers are reproducible and testable),
// while different questions get some variety.
function pick<T>(options: readonly T[], question: string): T {
  const index = hashString(foldText(question).replace(/\s+/g, ' ').trim()) % options.length;
  return options[index] as T;
}

// Personas come from stored data; a tone this version does not know reads as friendly.
function toneOf(voice: AnswerVoice): AnswerTone {
  return Object.hasOwn(OPENERS, voice.tone) ? voice.tone : 'friendly';
}

/** The opener for a grounded answer, possibly empty. */
export function openerFor(voice: AnswerVoice, question: string): string {
  return pick(OPENERS[toneOf(voice)], question);
}

/**
 * The sentence offering a person, in the voice's tone. The server's reply path appends it itself
 * (and the provider is asked not to offer), so the text and the reply's `requestsContact` come from
 * one decision.
 */
export function humanOfferFor(voice: Pick<AnswerVoice, 'tone'>): string {
  return HUMAN_OFFER[toneOf({ botName: '', ...voice })];
}

/** The whole reply when the knowledge does not answer the question. */
export function unknownReplyFor(voice: AnswerVoice): string {
  const custom = voice.unknownAnswer?.trim();
  const sentence = custom || UNKNOWN[toneOf(voice)];
  return voice.offerHuman === false ? sentence : `${sentence} ${HUMAN_OFFER[toneOf(voice)]}`;
}

import { z } from 'zod';
import { trimmedText, untrimmedText } from './text-fields.ts';

export const BOT_TONES = ['friendly', 'professional', 'playful', 'concise'] as const;
export type BotTone = (typeof BOT_TONES)[number];

export const ANSWER_LENGTHS = ['short', 'medium', 'long'] as const;
export type AnswerLength = (typeof ANSWER_LENGTHS)[number];

/**
 * When the bot offers to hand the visitor to a person: `when-unsure` when the knowledge does not
 * cover the question, `on-request` only when asked, `always` as a standing offer.
 */
export const OFFER_HUMAN_MODES = ['never', 'when-unsure', 'on-request', 'always'] as const;
export type OfferHumanMode = (typeof OFFER_HUMAN_MODES)[number];

// The BCP-47 subset bots are written in: language, optional script, optional region
// ('en', 'pt-BR', 'zh-Hant-TW', 'es-419'). Matched case-insensitively and stored in canonical case
// so 'pt-br' and 'pt-BR' are one language. Variants and extensions (de-CH-1996, -u-) are left out
// on purpose: no model or voice setting distinguishes them.
const LANGUAGE_TAG = /^([a-z]{2,3})(?:-([a-z]{4}))?(?:-([a-z]{2}|\d{3}))?$/i;

function canonicalLanguageTag(tag: string): string {
  const match = LANGUAGE_TAG.exec(tag);
  if (!match) return tag;
  const [, language = '', script, region] = match;
  const scriptPart = script ? `-${script.charAt(0).toUpperCase()}${script.slice(1).toLowerCase()}` : '';
  return `${language.toLowerCase()}${scriptPart}${region ? `-${region.toUpperCase()}` : ''}`;
}

export const languageTagSchema = z
  .string()
  .trim()
  .regex(LANGUAGE_TAG, "must be a language tag such as 'en', 'de' or 'pt-BR'")
  .overwrite(canonicalLanguageTag);

export const greetingSchema = trimmedText(1, 500);

export const personalitySchema = z.strictObject({
  /** Instructions for AI providers; never leaves the server (see publicBotView). May be empty. */
  systemPrompt: untrimmedText(8000),
  tone: z.enum(BOT_TONES),
  greeting: greetingSchema,
  language: languageTagSchema,
  answerLength: z.enum(ANSWER_LENGTHS),
  /** What the bot says when its knowledge has no answer; null uses Mascot's tone-dependent default. */
  unknownAnswer: trimmedText(1, 500).nullable(),
  offerHuman: z.enum(OFFER_HUMAN_MODES),
});
export type BotPersonality = z.output<typeof personalitySchema>;

/**
 * What an A/B variant may change about the personality. The greeting is left out because a
 * variant sets it at its top level (`variant.greeting`): one place per setting, no precedence rules.
 */
export const personalityOverrideSchema = personalitySchema.omit({ greeting: true }).partial();
export type BotPersonalityOverride = z.output<typeof personalityOverrideSchema>;

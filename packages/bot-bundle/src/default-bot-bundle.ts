import { emptyAnimationMap } from './avatar.ts';
import { CURRENT_FORMAT_VERSION, botBundleSchema, type BotBundle } from './bot-bundle.ts';
import { BotBundleError } from './bot-bundle-error.ts';
import { parseWithFieldErrors } from './field-errors.ts';

/** The model name of Mascot's offline extractive method (no network, no API key). */
export const OFFLINE_MODEL = 'mascot-extractive-v1';

/**
 * A new bot that works at once: offline answers, no avatar, a bubble launcher on every page of any
 * site. Throws BotBundleError (at `name`) when `name` is not a valid bot name.
 */
export function defaultBotBundle(name: string): BotBundle {
  const trimmed = name.trim();
  const bundle: BotBundle = {
    formatVersion: CURRENT_FORMAT_VERSION,
    name: trimmed,
    personality: {
      systemPrompt: `You are ${trimmed}, a helpful assistant. Answer from the provided knowledge and cite it.`,
      tone: 'friendly',
      greeting: `Hi! I'm ${trimmed}. How can I help you today?`,
      language: 'en',
      answerLength: 'medium',
      unknownAnswer: null,
      offerHuman: 'when-unsure',
    },
    providers: [{ provider: 'offline', model: OFFLINE_MODEL }],
    avatar: { kind: 'none', animationMap: emptyAnimationMap() },
    placement: {
      include: [],
      exclude: [],
      delaySeconds: 0,
      position: 'bottom-right',
      devices: ['desktop', 'tablet', 'mobile'],
    },
    theme: {
      primaryColor: '#4f46e5',
      backgroundColor: '#ffffff',
      textColor: '#111827',
      fontFamily: 'system',
      launcher: 'bubble',
      whiteLabel: false,
    },
    allowedOrigins: [],
    variants: [],
  };
  // Parsed so a bad name fails here, with its path, rather than later at publication.
  const parsed = parseWithFieldErrors(botBundleSchema, bundle);
  if (!parsed.ok) throw BotBundleError.invalid(parsed.errors);
  return parsed.value;
}

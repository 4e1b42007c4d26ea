import { ANIMATION_SLOTS } from './animation-slots.ts';
import type { AnimationMap } from './avatar.ts';
import type { BotBundle } from './bot-bundle.ts';
import type { BotBundleV1 } from './format-v1.ts';
import type { FormatMigration } from './format-migration.ts';
import { normalizeOrigin } from './origins.ts';

/**
 * Format 1 allowed any URL; format 2 stores bare origins. An entry without an http(s) origin is
 * kept as written so validation reports it: dropping it could turn a short list into an empty one,
 * which means "any site".
 */
function upgradeOrigins(urls: readonly string[]): string[] {
  const origins = urls.map((url) => (URL.canParse(url) ? normalizeOrigin(new URL(url).origin) : null) ?? url);
  return [...new Set(origins)];
}

/**
 * Format 1 (the server's bot config) to format 2 (the bundle) and back.
 *
 * `up` spells out the values format 1 documents receive instead of taking them from
 * defaultBotBundle: a migration is frozen, and the defaults of new bots may change without
 * changing what old documents upgrade to.
 */
export const migrationV1ToV2: FormatMigration<BotBundleV1, BotBundle> = {
  from: 1,
  to: 2,
  up(doc, context) {
    const { personality } = doc;
    return {
      formatVersion: 2,
      // Format 1 kept the name on the bot, outside the document.
      name: context.name?.trim() || 'Untitled bot',
      personality: {
        systemPrompt: personality.systemPrompt,
        tone: personality.tone,
        greeting: personality.greeting,
        language: 'en',
        answerLength: 'medium',
        // Format 1 wrote "no custom answer" as null or ""; format 2 has one spelling for it.
        unknownAnswer: personality.unknownAnswer || null,
        // Format 1's `true` meant "offer a person when the knowledge has no answer".
        offerHuman: personality.offerHuman ? 'when-unsure' : 'never',
      },
      providers: [{ provider: 'offline', model: 'mascot-extractive-v1' }],
      avatar: {
        kind: 'none',
        animationMap: Object.fromEntries(ANIMATION_SLOTS.map((slot) => [slot, null])) as AnimationMap,
      },
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
      allowedOrigins: upgradeOrigins(doc.allowedOrigins),
      variants: [],
    };
  },
  // Lossy: format 1 has no place for name, language, answerLength, providers, avatar, placement,
  // theme, variants or privacy, and its offerHuman only says whether the bot ever offers a person.
  down(bundle) {
    const { personality } = bundle;
    return {
      personality: {
        systemPrompt: personality.systemPrompt,
        tone: personality.tone,
        greeting: personality.greeting,
        unknownAnswer: personality.unknownAnswer,
        offerHuman: personality.offerHuman !== 'never',
      },
      allowedOrigins: [...bundle.allowedOrigins],
    };
  },
};

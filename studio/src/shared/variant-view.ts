import type { BotBundle, BotVariant } from '@mascot/bot-bundle';

/**
 * The bot a visitor in `variant` talks to, as one bundle without variants: the variant's greeting,
 * personality overrides and avatar over the bot's. Studio's variant diff compares it with the bot, and
 * the preview answers with it.
 */
export function withVariantApplied(bundle: BotBundle, variant: BotVariant | undefined): BotBundle {
  if (!variant) return { ...bundle, variants: [] };
  return {
    ...bundle,
    personality: { ...bundle.personality, ...variant.personality, greeting: variant.greeting ?? bundle.personality.greeting },
    avatar: variant.avatar ?? bundle.avatar,
    variants: [],
  };
}

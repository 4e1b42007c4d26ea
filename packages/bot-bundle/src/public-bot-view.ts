import type { BotAvatar } from './avatar.ts';
import type { BotBundle } from './bot-bundle.ts';
import { BotBundleError } from './bot-bundle-error.ts';
import { engagementOf, type Engagement } from './engagement.ts';
import type { Placement } from './placement.ts';
import type { Theme } from './theme.ts';

/**
 * What a visitor's browser may know about a bot. Built field by field from an allow-list, never by
 * deleting secrets from a copy: a field added to the bundle later stays private until someone
 * decides to add it here. systemPrompt, providers, allowedOrigins, the other personality settings
 * and the other variants are server-only.
 */
export interface PublicBotView {
  name: string;
  greeting: string;
  language: string;
  avatar: BotAvatar;
  placement: Placement;
  /** `whiteLabel` is the author's wish; the server clears it when the tenant's plan does not allow it. */
  theme: Theme;
  /** The teaser and the closed widget's sound, defaults filled in. */
  engagement: Engagement;
  /** The variant applied, for analytics; null for the bundle without variant overrides. */
  variantId: string | null;
}

const copyAvatar = (avatar: BotAvatar): BotAvatar => ({ ...avatar, animationMap: { ...avatar.animationMap } });

/**
 * The public part of `bundle`, with variant `variantId`'s overrides applied (greeting, language,
 * avatar). Without a variant id it shows the bundle's own settings. Throws BotBundleError
 * (UNKNOWN_VARIANT) for an id the bundle does not define: a stale id must be re-picked with
 * pickVariant rather than silently shown as another arm of the experiment.
 * Returns fresh objects; changing the view never changes the bundle.
 */
export function publicBotView(bundle: BotBundle, variantId?: string): PublicBotView {
  const variant = variantId === undefined ? undefined : bundle.variants.find((entry) => entry.id === variantId);
  if (variantId !== undefined && variant === undefined) {
    throw BotBundleError.unknownVariant(
      variantId,
      bundle.variants.map((entry) => entry.id),
    );
  }
  const { placement } = bundle;
  return {
    name: bundle.name,
    greeting: variant?.greeting ?? bundle.personality.greeting,
    language: variant?.personality?.language ?? bundle.personality.language,
    avatar: copyAvatar(variant?.avatar ?? bundle.avatar),
    placement: {
      ...placement,
      include: [...placement.include],
      exclude: [...placement.exclude],
      devices: [...placement.devices],
    },
    theme: { ...bundle.theme },
    engagement: engagementOf(bundle),
    variantId: variant?.id ?? null,
  };
}

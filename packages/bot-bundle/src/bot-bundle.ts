import { z } from 'zod';
import { avatarSchema } from './avatar.ts';
import { businessHoursSchema } from './business-hours.ts';
import { engagementSchema } from './engagement.ts';
import { allowedOriginsSchema } from './origins.ts';
import { personalitySchema } from './personality.ts';
import { placementSchema } from './placement.ts';
import { privacySchema } from './privacy.ts';
import { providersSchema } from './providers.ts';
import { trimmedText } from './text-fields.ts';
import { themeSchema } from './theme.ts';
import { variantsSchema } from './variants.ts';

/**
 * The format version this build writes. Any change to the shape, even one optional field, is a
 * new version: objects are strict, so a reader of the old version would refuse the new field.
 * See README.md, "Adding a format version".
 */
export const CURRENT_FORMAT_VERSION = 2;

/**
 * The bot bundle, format 2: everything that configures a bot. Studio authors and publishes it, the
 * server validates and stores drafts and published snapshots, the widget sees publicBotView of it.
 * Parsing returns the canonical form (trimmed text, lowercase colors and origins, canonical
 * language tag), so equal bundles are equal JSON and diffs show only real changes.
 */
export const botBundleSchema = z
  .strictObject({
    formatVersion: z.literal(CURRENT_FORMAT_VERSION),
    name: trimmedText(1, 80),
    personality: personalitySchema,
    providers: providersSchema,
    avatar: avatarSchema,
    placement: placementSchema,
    theme: themeSchema,
    allowedOrigins: allowedOriginsSchema,
    variants: variantsSchema,
    privacy: privacySchema,
    engagement: engagementSchema,
    businessHours: businessHoursSchema,
  })
  .superRefine((bundle, ctx) => {
    // An avatar launcher needs an avatar to draw, in the bundle and in every variant.
    if (bundle.theme.launcher !== 'avatar') return;
    if (bundle.avatar.kind === 'none') {
      ctx.addIssue({
        code: 'custom',
        path: ['theme', 'launcher'],
        message: "is 'avatar' but the bot has no avatar; choose 'bubble' or 'icon', or give the bot an avatar",
      });
    }
    bundle.variants.forEach((variant, index) => {
      if (variant.avatar?.kind !== 'none') return;
      ctx.addIssue({
        code: 'custom',
        path: ['variants', index, 'avatar', 'kind'],
        message: "is 'none' but theme.launcher is 'avatar'; give the variant an avatar or change the launcher",
      });
    });
  });

/** A valid bundle in canonical form: what validateBotBundle and upgradeBotBundle return. */
export type BotBundle = z.output<typeof botBundleSchema>;
/** What botBundleSchema accepts before canonicalisation (e.g. "#FFFFFF", "pt-br"). */
export type BotBundleInput = z.input<typeof botBundleSchema>;

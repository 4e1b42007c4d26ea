import { z } from 'zod';
import { avatarSchema } from './avatar.ts';
import { greetingSchema, personalityOverrideSchema } from './personality.ts';
import { slug } from './text-fields.ts';
import { reportDuplicates } from './unique-entries.ts';

export const MAX_VARIANTS = 5;

/**
 * One arm of an A/B test. A visitor gets a variant with probability weight / (sum of weights);
 * what the variant leaves out comes from the bundle. For a control arm, add a variant without
 * overrides: once a bundle has variants, every visitor is in exactly one of them.
 */
export const variantSchema = z.strictObject({
  /** Stable across publications: analytics group conversations by it, pickVariant orders by it. */
  id: slug(40, 'short-greeting'),
  weight: z.int().min(1).max(100),
  greeting: greetingSchema.optional(),
  personality: personalityOverrideSchema.optional(),
  /** Replaces the whole avatar, animation map included: clip names belong to one model. */
  avatar: avatarSchema.optional(),
});
export type BotVariant = z.output<typeof variantSchema>;

export const variantsSchema = z
  .array(variantSchema)
  .max(MAX_VARIANTS)
  .superRefine((variants, ctx) =>
    reportDuplicates(variants, ctx, { keyOf: (variant) => variant.id, subPath: ['id'], what: 'the id of variant' }),
  );

import { z } from 'zod';
import { ANIMATION_SLOTS, type AnimationSlot } from './animation-slots.ts';
import { slug, trimmedText } from './text-fields.ts';

// Every slot is listed, with null where the model has no clip: a bundle then says explicitly
// "no wave" instead of leaving readers to guess whether a missing key means "none" or "forgot".
const clipNameSchema = trimmedText(
  1,
  100,
  'is missing; list every animation slot, with null when the avatar has no clip for it',
).nullable();

const slotShape = Object.fromEntries(ANIMATION_SLOTS.map((slot) => [slot, clipNameSchema])) as {
  [Slot in AnimationSlot]: typeof clipNameSchema;
};

/** Which clip of the avatar's model plays in each slot; null: the model has none (the runtime picks a stand-in). */
export const animationMapSchema = z.strictObject(slotShape, {
  error: (issue) =>
    issue.code === 'unrecognized_keys'
      ? `is not an animation slot; the slots are ${ANIMATION_SLOTS.join(', ')}`
      : undefined,
});
export type AnimationMap = Record<AnimationSlot, string | null>;

export function emptyAnimationMap(): AnimationMap {
  return Object.fromEntries(ANIMATION_SLOTS.map((slot) => [slot, null])) as AnimationMap;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The avatar is one of Mascot's built-in characters, a model the tenant uploaded (addressed by
 * the SHA-256 of its GLB file, so a bundle pins exact bytes and a re-upload cannot change a
 * published bot), or none. Each carries its own animation map because clip names belong to a model.
 */
export const avatarSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('builtin'),
    id: slug(64, 'milo'),
    animationMap: animationMapSchema,
  }),
  z.strictObject({
    kind: z.literal('uploaded'),
    assetHash: z
      .string()
      .trim()
      .toLowerCase()
      .regex(SHA256_HEX, 'must be the SHA-256 of the model file: 64 hexadecimal characters'),
    animationMap: animationMapSchema,
  }),
  z.strictObject({
    kind: z.literal('none'),
    animationMap: animationMapSchema,
  }),
]);
export type BotAvatar = z.output<typeof avatarSchema>;
export type AvatarKind = BotAvatar['kind'];

/**
 * Why a model was refused. The server sends it as `details.reason` of a BAD_USER_INPUT error and
 * Studio shows it before sync, so both sides name a broken rule the same way.
 */
export const GlbRejection = {
  /** Not a self-contained glTF 2.0 binary (JSON .gltf, garbage, truncated, external files, unsupported extension). */
  INVALID_GLB: 'AVATAR_INVALID_GLB',
  /** Over the upload size budget, or the declared size of its decoded data is. */
  TOO_LARGE: 'AVATAR_TOO_LARGE',
  TOO_MANY_TRIANGLES: 'AVATAR_TOO_MANY_TRIANGLES',
  /** Too many textures, or one larger than the dimension budget. */
  TEXTURE_TOO_LARGE: 'AVATAR_TEXTURE_TOO_LARGE',
  /** No mesh bound to a skin with joint weights: the model cannot be animated. */
  NOT_SKINNED: 'AVATAR_NOT_SKINNED',
  NO_ANIMATIONS: 'AVATAR_NO_ANIMATIONS',
  /** Clip names empty, duplicated, untrimmed, too long or containing control characters. */
  BAD_CLIP_NAMES: 'AVATAR_BAD_CLIP_NAMES',
} as const;
export type GlbRejectionReason = (typeof GlbRejection)[keyof typeof GlbRejection];

/** A broken rule; each app turns it into its own error type (DomainError, StudioError). */
export class GlbRuleViolation extends Error {
  override readonly name = 'GlbRuleViolation';

  constructor(
    readonly reason: GlbRejectionReason,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

import { ErrorCode } from '@mascot/contracts';
import { DomainError } from '../../core/errors/index.ts';

/**
 * Why an uploaded model was refused. The GraphQL and HTTP `code` stays the contract's
 * BAD_USER_INPUT; the precise reason travels in `details.reason` so clients can switch on it
 * without the contract growing a code per validation rule.
 */
export const AvatarRejection = {
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
export type AvatarRejectionReason = (typeof AvatarRejection)[keyof typeof AvatarRejection];

/** Why a PUT to an upload URL was refused before its body was looked at. */
export const UploadRefusal = {
  /** Missing, malformed or tampered signature parameters. */
  SIGNATURE_INVALID: 'AVATAR_UPLOAD_SIGNATURE_INVALID',
  EXPIRED: 'AVATAR_UPLOAD_EXPIRED',
  /** The URL was used already (single use, across every server instance). */
  ALREADY_USED: 'AVATAR_UPLOAD_ALREADY_USED',
  /** Content-Type other than model/gltf-binary or application/octet-stream. */
  UNSUPPORTED_MEDIA_TYPE: 'AVATAR_UPLOAD_UNSUPPORTED_MEDIA_TYPE',
} as const;
export type UploadRefusalReason = (typeof UploadRefusal)[keyof typeof UploadRefusal];

export function avatarRejected(
  reason: AvatarRejectionReason,
  message: string,
  details: Record<string, unknown> = {},
  options?: { cause?: unknown },
): DomainError {
  return new DomainError(ErrorCode.BAD_USER_INPUT, message, { reason, ...details }, options);
}

/** The signed URL is the credential of an upload: every refusal is FORBIDDEN, except the media type. */
export function uploadRefused(reason: UploadRefusalReason, message: string): DomainError {
  const code = reason === UploadRefusal.UNSUPPORTED_MEDIA_TYPE ? ErrorCode.BAD_USER_INPUT : ErrorCode.FORBIDDEN;
  return new DomainError(code, message, { reason });
}

/** The `details.reason` of a domain error, when it has one. */
export function reasonOf(error: DomainError): string | undefined {
  const reason = error.details['reason'];
  return typeof reason === 'string' ? reason : undefined;
}

import { ErrorCode } from '@mascot/contracts';
import { GlbRejection, type GlbRejectionReason, type GlbRuleViolation } from '@mascot/glb-rules';
import { DomainError } from '../../core/errors/index.ts';

/**
 * Why an uploaded model was refused: the rule codes of @mascot/glb-rules, which Studio applies too.
 * The GraphQL and HTTP `code` stays the contract's BAD_USER_INPUT; the precise reason travels in
 * `details.reason` so clients can switch on it without the contract growing a code per rule.
 */
export const AvatarRejection = GlbRejection;
export type AvatarRejectionReason = GlbRejectionReason;

/**
 * Why the server stopped processing a model that passed the rules: it needed more time or memory
 * than an upload may use (server-only reasons, beside the shared rule codes; sent the same way).
 */
export const AvatarProcessingStopped = {
  TIMEOUT: 'AVATAR_PROCESSING_TIMEOUT',
  OUT_OF_MEMORY: 'AVATAR_PROCESSING_OUT_OF_MEMORY',
} as const;
export type AvatarProcessingStoppedReason = (typeof AvatarProcessingStopped)[keyof typeof AvatarProcessingStopped];

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
  reason: AvatarRejectionReason | AvatarProcessingStoppedReason,
  message: string,
  details: Record<string, unknown> = {},
  options?: { cause?: unknown },
): DomainError {
  return new DomainError(ErrorCode.BAD_USER_INPUT, message, { reason, ...details }, options);
}

/** A broken shared GLB rule as the API reports it. */
export function avatarRuleBroken(violation: GlbRuleViolation): DomainError {
  return avatarRejected(violation.reason, violation.message, violation.details, { cause: violation.cause ?? violation });
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

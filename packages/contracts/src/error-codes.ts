/**
 * The stable error codes Mascot puts in GraphQL `extensions.code`.
 * Partners switch on these strings, so they are never renamed; add new ones instead.
 * Each code carries the message a client may show a person when it has nothing better.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  BOT_NOT_PUBLISHED: 'BOT_NOT_PUBLISHED',
  /** The bot was archived by its owner (archiveBot): it starts no conversations until unarchived. */
  BOT_ARCHIVED: 'BOT_ARCHIVED',
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  RATE_LIMITED: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  // Requests that could not be read at all (plain HTTP routes; GraphQL answers BAD_REQUEST, Apollo's code).
  BAD_REQUEST: 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  // Idempotency-Key on a mutation (IETF draft "The Idempotency-Key HTTP Header Field"): not a valid key (400),
  // reused with a different request (422), or its first request is still running (409).
  IDEMPOTENCY_KEY_INVALID: 'IDEMPOTENCY_KEY_INVALID',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  IDEMPOTENCY_KEY_IN_FLIGHT: 'IDEMPOTENCY_KEY_IN_FLIGHT',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const errorCodeMessages: Record<ErrorCode, string> = {
  BAD_USER_INPUT: 'Some of the input is not valid.',
  UNAUTHENTICATED: 'Please sign in again.',
  FORBIDDEN: 'You are not allowed to do that.',
  NOT_FOUND: 'That does not exist, or you cannot see it.',
  CONFLICT: 'That conflicts with something that already exists.',
  BOT_NOT_PUBLISHED: 'This assistant is not available yet.',
  BOT_ARCHIVED: 'This assistant is not available any more.',
  QUOTA_EXCEEDED: 'The usage limit has been reached. Please try again later.',
  RATE_LIMITED: 'Too many requests. Please slow down.',
  SERVICE_UNAVAILABLE: 'The service is restarting. Please try again in a moment.',
  INTERNAL_SERVER_ERROR: 'Something went wrong on our side.',
  BAD_REQUEST: 'The request could not be read.',
  PAYLOAD_TOO_LARGE: 'The request is too large.',
  UNSUPPORTED_MEDIA_TYPE: 'The request body is in a format or charset that is not accepted.',
  IDEMPOTENCY_KEY_INVALID: 'The Idempotency-Key header must be 1 to 255 visible ASCII characters.',
  IDEMPOTENCY_KEY_REUSED: 'This Idempotency-Key was already used for a different request.',
  IDEMPOTENCY_KEY_IN_FLIGHT: 'A request with this Idempotency-Key is still being processed; retry shortly.',
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && value in errorCodeMessages;
}

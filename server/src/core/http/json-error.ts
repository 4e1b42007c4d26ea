import type { Response } from 'express';
import { ErrorCode } from '@mascot/contracts';
import { DomainError } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';

/** HTTP status for a domain error code on the plain-HTTP routes (uploads, assets); GraphQL maps codes itself. */
export const HTTP_STATUS_OF_CODE: Partial<Record<string, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 422,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.QUOTA_EXCEEDED]: 429,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
  [ErrorCode.BAD_REQUEST]: 400,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: 415,
};

/**
 * The one error body of Mascot's plain-HTTP routes: `{ error: { code, message, details } }`. Domain
 * errors keep their code (status from HTTP_STATUS_OF_CODE unless given); anything else is masked as
 * INTERNAL_SERVER_ERROR with the request id that the log line carries too.
 */
export function sendJsonError(res: Response, error: unknown, logger: Logger, status?: number): void {
  const requestId = typeof res.locals['requestId'] === 'string' ? res.locals['requestId'] : undefined;
  if (res.headersSent) {
    // Typically the client went away mid-response.
    logger.debug({ err: error, requestId }, 'response failed after headers were sent');
    res.destroy();
    return;
  }
  if (error instanceof DomainError) {
    const code = status ?? HTTP_STATUS_OF_CODE[error.code] ?? 400;
    // An unread body remains on the connection: close it rather than parse the rest as a request.
    if (code === 413) res.setHeader('Connection', 'close');
    res.status(code).json({ error: { code: error.code, message: error.message, details: error.details } });
    return;
  }
  logger.error({ err: error, requestId }, 'unexpected error in an HTTP route');
  res.status(500).json({ error: { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Internal server error.', details: { requestId } } });
}

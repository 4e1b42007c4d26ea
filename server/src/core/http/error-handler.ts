import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ErrorCode, errorCodeMessages } from '@mascot/contracts';
import { DomainError } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';
import { sendJsonError } from './json-error.ts';

/**
 * body-parser's errors (express.json, express.raw) by their `type`: what the client sent could not be
 * read, which is its mistake, said with a stable code rather than Express's HTML error page.
 */
const BODY_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  'entity.parse.failed': { code: ErrorCode.BAD_REQUEST, message: 'The request body is not valid JSON.' },
  'entity.verify.failed': { code: ErrorCode.BAD_REQUEST, message: 'The request body could not be read.' },
  'request.aborted': { code: ErrorCode.BAD_REQUEST, message: 'The request body ended early.' },
  'request.size.invalid': { code: ErrorCode.BAD_REQUEST, message: 'The request body does not match its Content-Length.' },
  'entity.too.large': { code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'The request body is too large.' },
  'parameters.too.many': { code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'The request has too many parameters.' },
  'charset.unsupported': { code: ErrorCode.UNSUPPORTED_MEDIA_TYPE, message: 'The request body must be UTF-8.' },
  'encoding.unsupported': { code: ErrorCode.UNSUPPORTED_MEDIA_TYPE, message: 'The request body uses a Content-Encoding that is not accepted.' },
};

/** Other client errors Express and its helpers raise as http-errors (malformed path, bad range…), by status. */
const CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
};

/**
 * The client error an Express-level error stands for, or undefined for one of ours (a bug: masked).
 * Also what the GraphQL HTTP lane answers for a body it cannot read, in GraphQL's error shape.
 */
export function clientError(error: unknown): { code: ErrorCode; message: string; status: number } | undefined {
  const { type, status, statusCode } = (error ?? {}) as { type?: unknown; status?: unknown; statusCode?: unknown };
  const httpStatus = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : undefined;
  const known = typeof type === 'string' ? BODY_ERRORS[type] : undefined;
  if (known) return { ...known, status: httpStatus && httpStatus >= 400 && httpStatus < 500 ? httpStatus : 400 };
  // Express, its router (a path that does not decode) and http-errors give client errors a 4xx status;
  // our own code throws DomainErrors, so anything else, 5xx included, is unexpected and stays masked.
  if (httpStatus !== undefined && httpStatus >= 400 && httpStatus < 500) {
    const code = CODE_OF_STATUS[httpStatus] ?? ErrorCode.BAD_REQUEST;
    return { code, message: errorCodeMessages[code], status: httpStatus };
  }
  return undefined;
}

/**
 * The app's last error handler: whatever reaches it answers `{ error: { code, message, details } }`
 * (json-error.ts), never Express's HTML page. Body-parser and other client errors keep their 4xx
 * status with a stable code; everything else is an unexpected error, logged and masked as a 500 with
 * the request id (issue 15, finding 8).
 */
export function jsonErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const client = clientError(error);
    if (client) sendJsonError(res, new DomainError(client.code, client.message, {}, { cause: error }), logger, client.status);
    else sendJsonError(res, error, logger);
  };
}

/** Paths no route answered: a JSON 404 like every other error, instead of Express's "Cannot GET" page. */
export function jsonNotFound(logger: Logger): RequestHandler {
  return (_req, res) => sendJsonError(res, new DomainError(ErrorCode.NOT_FOUND, 'Nothing is served at this address.'), logger);
}

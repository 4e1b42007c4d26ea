import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Ids a proxy or client may hand us: UUIDs, ULIDs, trace ids, base64. Anything else (too long, spaces,
 * control characters) is replaced, so a request id can never forge or break a log line.
 */
const WELL_FORMED = /^[A-Za-z0-9][A-Za-z0-9._:+/=-]{0,127}$/;

/** The incoming id when it is well formed, else a fresh UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && WELL_FORMED.test(value) ? value : randomUUID();
}

/**
 * Gives every request an id, answered in the `x-request-id` response header, for the GraphQL context
 * and the log lines of what went wrong. Mounted twice (app-wide and on /graphql) it keeps the first id.
 */
export function requestIdMiddleware(): RequestHandler {
  return (req, res, next) => {
    if (typeof res.locals['requestId'] !== 'string') {
      const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
      res.locals['requestId'] = requestId;
      res.setHeader(REQUEST_ID_HEADER, requestId);
    }
    next();
  };
}

/** The id requestIdMiddleware gave this response. */
export function requestIdOf(res: Response): string {
  const requestId: unknown = res.locals['requestId'];
  if (typeof requestId !== 'string') throw new Error('requestIdMiddleware must run before this handler.');
  return requestId;
}

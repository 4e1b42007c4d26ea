import { ErrorCode } from '@mascot/contracts';
import { isOriginAllowed, normalizeOrigin } from '@mascot/bot-bundle';
import { DomainError } from '../../core/errors/index.ts';

/** `extensions.reason` of the FORBIDDEN error a session from a page off the bot's allowlist gets. */
export const ORIGIN_NOT_ALLOWED = 'ORIGIN_NOT_ALLOWED';

export interface EmbedOriginClaim {
  /** The bot's allowedOrigins (normalised by the bundle format); empty admits every page. */
  allowedOrigins: readonly string[];
  /** The request's Origin header: who really called (browsers set it, scripts cannot forge it). */
  requestOrigin: string | undefined;
  /** The host page the widget says it runs in (startConversation's hostOrigin). */
  hostOrigin: string | null | undefined;
  /** Mascot's own public origin, where the widget iframe lives. */
  ownOrigin: string;
}

export function originNotAllowed(origin: string): DomainError {
  return new DomainError(ErrorCode.FORBIDDEN, `This assistant is not available on ${origin}.`, { reason: ORIGIN_NOT_ALLOWED, origin });
}

/**
 * Decides whether a widget session may start, and returns the host page origin to record (or null).
 *   - A foreign Origin (a page calling the API itself) is the host: it must be on the allowlist.
 *   - Our own Origin is the widget iframe: it cannot see its parent's origin, so the loader tells it
 *     (hostOrigin); with a non-empty allowlist that claim is required and must be on it. A faked claim
 *     gains nothing in a browser: /widget/ is served with `frame-ancestors` set to the same allowlist,
 *     so the browser refuses to show the iframe on any other site.
 *   - No Origin: not a browser (SDKs, servers), which can claim anything; a given hostOrigin must
 *     still be on the list so what is stored is always an admitted origin.
 */
export function admitHostOrigin(claim: EmbedOriginClaim): string | null {
  const hostOrigin = claim.hostOrigin == null ? null : normalizeOrigin(claim.hostOrigin);
  if (claim.hostOrigin != null && hostOrigin === null) {
    throw DomainError.invalidInput([{ field: 'hostOrigin', message: 'must be an origin such as https://shop.example.com' }]);
  }
  const requestOrigin = claim.requestOrigin === undefined ? undefined : (normalizeOrigin(claim.requestOrigin) ?? claim.requestOrigin);
  if (requestOrigin !== undefined && requestOrigin !== claim.ownOrigin) {
    if (!isOriginAllowed(claim.allowedOrigins, requestOrigin)) throw originNotAllowed(requestOrigin);
    // The browser's word beats the caller's claim; an opaque "null" origin is recorded as unknown.
    return normalizeOrigin(requestOrigin);
  }
  if (hostOrigin === null) {
    if (claim.allowedOrigins.length > 0 && requestOrigin !== undefined) throw originNotAllowed('a page that did not say its origin');
    return null;
  }
  if (!isOriginAllowed(claim.allowedOrigins, hostOrigin)) throw originNotAllowed(hostOrigin);
  return hostOrigin;
}

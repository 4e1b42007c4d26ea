import { DestinationRefusal } from '../../core/outbound/index.ts';
import type { SendOutcome } from './webhook-sender.ts';

/**
 * 4xx answers that can succeed on a later try: Request Timeout, Conflict, Too Early (RFC 8470) and
 * Too Many Requests. Every other 4xx says the request itself is wrong for this endpoint (404, 401, 400…):
 * sending the same signed body again in five hours gets the same answer.
 */
const RETRYABLE_CLIENT_ERRORS: ReadonlySet<number> = new Set([408, 409, 425, 429]);

/**
 * Errors of the endpoint's configuration, not of the moment: its certificate does not verify or its URL
 * cannot be requested. Connection refusals, resets and timeouts are not here: servers come back.
 */
const PERMANENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_INVALID_URL',
]);

/**
 * Whether a failed attempt can never succeed by waiting, so the delivery fails now instead of being
 * retried for a day and a half: the destination is refused by the outbound policy (it resolves to a
 * private address, or is not http(s)) — but not a name that does not resolve, which may be a DNS hiccup —,
 * the receiver answered a non-retryable 4xx, or TLS or the URL is invalid. Everything else keeps the backoff.
 */
export function isPermanentFailure(outcome: SendOutcome): boolean {
  switch (outcome.kind) {
    case 'delivered':
      return false;
    case 'rejected':
      return outcome.statusCode >= 400 && outcome.statusCode < 500 && !RETRYABLE_CLIENT_ERRORS.has(outcome.statusCode);
    case 'refused':
      return outcome.reason !== DestinationRefusal.DESTINATION_UNRESOLVABLE;
    case 'unreachable':
      return outcome.code !== null && PERMANENT_ERROR_CODES.has(outcome.code);
  }
}

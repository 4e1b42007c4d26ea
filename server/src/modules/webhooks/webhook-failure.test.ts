import { describe, expect, it } from 'vitest';
import { DestinationRefusal } from '../../core/outbound/index.ts';
import { isPermanentFailure } from './webhook-failure.ts';

const rejected = (statusCode: number) => ({ kind: 'rejected' as const, statusCode, retryAfterMs: null });
const unreachable = (code: string | null) => ({ kind: 'unreachable' as const, error: 'failed', code });

describe('isPermanentFailure', () => {
  it('fails client errors at once, except those that may pass later', () => {
    for (const status of [400, 401, 403, 404, 405, 410, 413, 422]) expect(isPermanentFailure(rejected(status)), String(status)).toBe(true);
    for (const status of [408, 409, 425, 429]) expect(isPermanentFailure(rejected(status)), String(status)).toBe(false);
  });

  it('retries server errors and redirects', () => {
    for (const status of [500, 502, 503, 504, 301, 302, 307]) expect(isPermanentFailure(rejected(status)), String(status)).toBe(false);
  });

  it('fails a destination the outbound policy refuses, but retries one that does not resolve', () => {
    const refused = (reason: DestinationRefusal) => ({ kind: 'refused' as const, error: 'destination refused', reason });
    expect(isPermanentFailure(refused(DestinationRefusal.DESTINATION_NOT_ALLOWED))).toBe(true);
    expect(isPermanentFailure(refused(DestinationRefusal.UNSUPPORTED_SCHEME))).toBe(true);
    expect(isPermanentFailure(refused(DestinationRefusal.DESTINATION_UNRESOLVABLE))).toBe(false);
  });

  it('fails invalid certificates and URLs, and retries what a server coming back would fix', () => {
    for (const code of ['CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_INVALID_URL']) {
      expect(isPermanentFailure(unreachable(code)), code).toBe(true);
    }
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'UND_ERR_SOCKET', null]) expect(isPermanentFailure(unreachable(code)), String(code)).toBe(false);
  });

  it('never calls a delivery a failure', () => {
    expect(isPermanentFailure({ kind: 'delivered', statusCode: 200 })).toBe(false);
  });
});

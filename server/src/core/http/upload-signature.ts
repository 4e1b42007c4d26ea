import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** What a signed upload URL grants: one PUT of at most `maxBytes` into `tenantId`, until `expiresAt`. */
export interface UploadGrant {
  tenantId: string;
  uploadId: string;
  expiresAt: Date;
  maxBytes: number;
}

export interface UploadSigner {
  /** The query string (without `?`) that authorises the grant. */
  query(grant: UploadGrant): string;
  /** The grant a URL's parameters carry, or null when any is missing, malformed or the signature does not match. */
  verify(uploadId: string, query: Record<string, unknown>): UploadGrant | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DIGITS = /^[1-9][0-9]{0,14}$/;

/**
 * HMAC-SHA256 signatures for upload URLs. The key is derived from the server secret with HKDF under
 * its own label per purpose (avatar, knowledge…), so an upload signature can never be mistaken for
 * (or help forge) any other token
 * the same secret signs. The signed message names every field of the grant, versioned and
 * newline-separated (no field can contain a newline: each is validated before verification).
 */
export function createUploadSigner(secret: string | Uint8Array, purpose: string): UploadSigner {
  const key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `mascot ${purpose} upload url v1`, 32));
  const mac = (grant: UploadGrant) =>
    createHmac('sha256', key)
      .update(['v1', grant.tenantId, grant.uploadId, Math.floor(grant.expiresAt.getTime() / 1000), grant.maxBytes].join('\n'))
      .digest();

  return {
    query(grant) {
      const params = new URLSearchParams({
        tenant: grant.tenantId,
        expires: String(Math.floor(grant.expiresAt.getTime() / 1000)),
        max: String(grant.maxBytes),
        sig: mac(grant).toString('base64url'),
      });
      return params.toString();
    },
    verify(uploadId, query) {
      const { tenant, expires, max, sig } = query;
      if (typeof tenant !== 'string' || typeof expires !== 'string' || typeof max !== 'string' || typeof sig !== 'string') return null;
      if (!UUID.test(uploadId) || !UUID.test(tenant) || !DIGITS.test(expires) || !DIGITS.test(max)) return null;
      const grant: UploadGrant = { tenantId: tenant, uploadId, expiresAt: new Date(Number(expires) * 1000), maxBytes: Number(max) };
      const expected = mac(grant);
      const given = Buffer.from(sig, 'base64url');
      return given.length === expected.length && timingSafeEqual(given, expected) ? grant : null;
    },
  };
}

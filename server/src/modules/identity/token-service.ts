import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { DomainError } from '../../core/errors/index.ts';

const ISSUER = 'mascot';
const ALGORITHM = 'HS256';
export const AUDIENCE = { api: 'mascot:api', visitor: 'mascot:visitor' } as const;
/** Members' access tokens live 15 minutes unless configured (MASCOT_ACCESS_TOKEN_TTL_S). */
export const DEFAULT_ACCESS_TOKEN_TTL_S = 900;
const VISITOR_TOKEN_TTL = '24h';
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;

/** What a verified JWT says; the authenticator completes it from the database. */
export type TokenClaims =
  | { kind: 'user'; userId: string; tenantId: string; familyId: string }
  | { kind: 'visitor'; tenantId: string; botId: string; conversationId: string };

export interface TokenService {
  issueAccessToken(claims: { userId: string; tenantId: string; familyId: string }): Promise<string>;
  issueVisitorToken(claims: { tenantId: string; botId: string; conversationId: string }): Promise<string>;
  /**
   * An access token shaped exactly like issueAccessToken's (same header, claims and lifetime) but
   * signed with a key thrown away at start, so it never verifies: the answer signUp gives for an
   * address that is already registered (identity.service.ts, SECURITY.md "Identity").
   */
  issueDecoyAccessToken(claims: { userId: string; tenantId: string; familyId: string }): Promise<string>;
  /** Verifies signature, algorithm, issuer, audience and expiry; anything else is UNAUTHENTICATED. */
  verify(token: string): Promise<TokenClaims>;
}

/** Verified tokens remembered (oldest dropped first); a member or visitor sends the same one until it expires. */
const VERIFIED_TOKENS_KEPT = 20_000;

export function createTokenService(secret: string, accessTokenTtlSeconds = DEFAULT_ACCESS_TOKEN_TTL_S): TokenService {
  const key = new TextEncoder().encode(secret);
  const decoyKey = randomBytes(32);
  /**
   * Tokens that passed verification, with their claims, until they expire. Checking a JWT with jose
   * (WebCrypto key import and HMAC, both asynchronous) was about a fifth of the CPU of a small
   * authenticated request. Keyed by the whole token, signature included: only the exact bytes that
   * verified can hit, and what they say cannot change before `exp`.
   */
  const verified = new Map<string, { claims: TokenClaims; expiresAtMs: number }>();

  const sign = (claims: Record<string, string>, subject: string, audience: string, ttl: string, signingKey: Uint8Array = key) =>
    new SignJWT(claims).setProtectedHeader({ alg: ALGORITHM }).setIssuer(ISSUER).setAudience(audience)
      .setSubject(subject).setIssuedAt().setExpirationTime(ttl).sign(signingKey);

  return {
    issueAccessToken: ({ userId, tenantId, familyId }) =>
      sign({ tid: tenantId, sid: familyId }, userId, AUDIENCE.api, `${accessTokenTtlSeconds}s`),
    issueDecoyAccessToken: ({ userId, tenantId, familyId }) =>
      sign({ tid: tenantId, sid: familyId }, userId, AUDIENCE.api, `${accessTokenTtlSeconds}s`, decoyKey),
    issueVisitorToken: ({ tenantId, botId, conversationId }) =>
      sign({ tid: tenantId, bid: botId }, conversationId, AUDIENCE.visitor, VISITOR_TOKEN_TTL),

    async verify(token) {
      const known = verified.get(token);
      if (known) {
        if (known.expiresAtMs > Date.now()) return known.claims;
        verified.delete(token);
      }
      let payload;
      try {
        ({ payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: ISSUER,
          audience: [AUDIENCE.api, AUDIENCE.visitor],
        }));
      } catch (error) {
        const expired = error instanceof joseErrors.JWTExpired;
        throw DomainError.unauthenticated(expired ? 'The token has expired.' : 'The token is not valid.');
      }
      const claim = (name: string) => (typeof payload[name] === 'string' ? (payload[name] as string) : undefined);
      const tenantId = claim('tid');
      const subject = payload.sub;
      const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      if (!tenantId || !subject) throw DomainError.unauthenticated('The token is incomplete.');
      let claims: TokenClaims;
      if (audiences.includes(AUDIENCE.visitor)) {
        const botId = claim('bid');
        if (!botId) throw DomainError.unauthenticated('The visitor token is incomplete.');
        claims = { kind: 'visitor', tenantId, botId, conversationId: subject };
      } else {
        const familyId = claim('sid');
        if (!familyId) throw DomainError.unauthenticated('The token is incomplete.');
        claims = { kind: 'user', userId: subject, tenantId, familyId };
      }
      // Every token we issue expires; one without `exp` is verified each time rather than kept forever.
      if (typeof payload.exp === 'number') {
        if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value!);
        // Frozen: the same claims object answers every later request with this token.
        verified.set(token, { claims: Object.freeze(claims), expiresAtMs: payload.exp * 1000 });
      }
      return claims;
    },
  };
}

/** Opaque random secrets with a recognizable prefix; only their SHA-256 is stored. */
export function createSecret(prefix: string): { token: string; hash: string } {
  const token = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashSecret(token) };
}

export function hashSecret(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

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
  /** Verifies signature, algorithm, issuer, audience and expiry; anything else is UNAUTHENTICATED. */
  verify(token: string): Promise<TokenClaims>;
}

export function createTokenService(secret: string, accessTokenTtlSeconds = DEFAULT_ACCESS_TOKEN_TTL_S): TokenService {
  const key = new TextEncoder().encode(secret);

  const sign = (claims: Record<string, string>, subject: string, audience: string, ttl: string) =>
    new SignJWT(claims).setProtectedHeader({ alg: ALGORITHM }).setIssuer(ISSUER).setAudience(audience)
      .setSubject(subject).setIssuedAt().setExpirationTime(ttl).sign(key);

  return {
    issueAccessToken: ({ userId, tenantId, familyId }) =>
      sign({ tid: tenantId, sid: familyId }, userId, AUDIENCE.api, `${accessTokenTtlSeconds}s`),
    issueVisitorToken: ({ tenantId, botId, conversationId }) =>
      sign({ tid: tenantId, bid: botId }, conversationId, AUDIENCE.visitor, VISITOR_TOKEN_TTL),

    async verify(token) {
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
      if (audiences.includes(AUDIENCE.visitor)) {
        const botId = claim('bid');
        if (!botId) throw DomainError.unauthenticated('The visitor token is incomplete.');
        return { kind: 'visitor', tenantId, botId, conversationId: subject };
      }
      const familyId = claim('sid');
      if (!familyId) throw DomainError.unauthenticated('The token is incomplete.');
      return { kind: 'user', userId: subject, tenantId, familyId };
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

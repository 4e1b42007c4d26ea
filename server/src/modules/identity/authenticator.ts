import type { EntityManager } from '@mikro-orm/postgresql';
import { ANONYMOUS, type MembershipRole, type Principal, type UserPrincipal } from '../../core/auth/index.ts';
import { inTenant } from '../../core/db/index.ts';
import { DomainError } from '../../core/errors/index.ts';
import type { ApiKeysService } from './api-keys.service.ts';
import { looksLikeApiKey } from './api-key-format.ts';
import type { IdentityCache, Resolved } from './identity-cache.ts';
import { hashSecret, type TokenClaims, type TokenService } from './token-service.ts';

/**
 * `em` is called only when the database must be read (a credential not cached), so a request that
 * needs none (anonymous, a visitor, a cached member or key) forks no EntityManager for it.
 */
export type Authenticator = (em: () => EntityManager, authorizationHeader: string | undefined) => Promise<Principal>;

/** A refusal is remembered as its message; anything else (the database failing) is not remembered at all. */
function refusalOf(error: unknown): Resolved<never> {
  if (error instanceof DomainError && error.code === 'UNAUTHENTICATED') return { refusal: error.message };
  throw error;
}

function principalOf<P>(resolved: Resolved<P>): P {
  if ('refusal' in resolved) throw DomainError.unauthenticated(resolved.refusal);
  return resolved.principal;
}

/** The member's role, provided the membership exists and the token's refresh family is still live. */
async function loadSession(em: EntityManager, claims: Extract<TokenClaims, { kind: 'user' }>): Promise<Resolved<UserPrincipal>> {
  const [row] = await inTenant(em, claims.tenantId, (tx) =>
    tx.execute<{ role: MembershipRole; live: boolean }[]>(
      `select m.role, exists (
         select 1 from refresh_token r
          where r.family_id = ? and r.revoked_at is null and r.expires_at > now()
       ) as live
       from membership m where m.user_id = ?`,
      [claims.familyId, claims.userId],
    ),
  );
  if (!row) return { refusal: 'This account no longer has access to this tenant.' };
  if (!row.live) return { refusal: 'This session has ended; sign in again.' };
  return { principal: { kind: 'user', userId: claims.userId, tenantId: claims.tenantId, role: row.role, familyId: claims.familyId } };
}

/**
 * Turns an `Authorization: Bearer …` header into a principal: an API key (`mk_…`), a member's
 * access token or a visitor token. Members' memberships and sessions and API keys come from the
 * database, through `cache` when given: then a credential seen recently costs no query, and a
 * revoked key, an ended session or a changed role still takes effect on every instance within the
 * bus's latency (IdentityCache), not when the JWT expires.
 */
export function createAuthenticator(tokens: TokenService, apiKeys: ApiKeysService, cache?: IdentityCache): Authenticator {
  return async (em, header) => {
    if (!header) return ANONYMOUS;
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match?.[1]) throw DomainError.unauthenticated('The Authorization header must be "Bearer <token>".');
    const token = match[1];
    if (looksLikeApiKey(token)) {
      if (!cache) return apiKeys.authenticate(em(), token);
      // Malformed keys are refused before any lookup, so they never fill the cache either.
      apiKeys.assertWellFormed(token);
      const load = () => apiKeys.authenticate(em(), token).then((principal) => ({ principal }), refusalOf);
      return principalOf(await cache.apiKey(hashSecret(token), load));
    }

    const claims = await tokens.verify(token);
    if (claims.kind === 'visitor') return claims;
    const load = () => loadSession(em(), claims);
    return principalOf(await (cache ? cache.session(claims.tenantId, claims.userId, claims.familyId, load) : load()));
  };
}

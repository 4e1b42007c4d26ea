import type { EntityManager } from '@mikro-orm/postgresql';
import { ANONYMOUS, type MembershipRole, type Principal } from '../../core/auth/index.ts';
import { inTenant } from '../../core/db/index.ts';
import { DomainError } from '../../core/errors/index.ts';
import type { ApiKeysService } from './api-keys.service.ts';
import { looksLikeApiKey } from './api-key-format.ts';
import type { TokenService } from './token-service.ts';

export type Authenticator = (em: EntityManager, authorizationHeader: string | undefined) => Promise<Principal>;

/**
 * Turns an `Authorization: Bearer …` header into a principal: an API key (`mk_…`), a member's
 * access token or a visitor token. For members the membership is read on every request, so a
 * removed member or a logged-out session loses access at once, not when the JWT expires.
 */
export function createAuthenticator(tokens: TokenService, apiKeys: ApiKeysService): Authenticator {
  return async (em, header) => {
    if (!header) return ANONYMOUS;
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match?.[1]) throw DomainError.unauthenticated('The Authorization header must be "Bearer <token>".');
    const token = match[1];
    if (looksLikeApiKey(token)) return apiKeys.authenticate(em, token);

    const claims = await tokens.verify(token);
    if (claims.kind === 'visitor') return claims;
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
    if (!row) throw DomainError.unauthenticated('This account no longer has access to this tenant.');
    if (!row.live) throw DomainError.unauthenticated('This session has ended; sign in again.');
    return { kind: 'user', userId: claims.userId, tenantId: claims.tenantId, role: row.role, familyId: claims.familyId };
  };
}

import { randomUUID } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type { UserPrincipal } from '../../core/auth/index.ts';
import { inTenant } from '../../core/db/index.ts';
import { DomainError } from '../../core/errors/index.ts';
import type { AuditService } from '../audit/index.ts';
import { Tenant } from '../tenants/index.ts';
import { Membership } from './membership.entity.ts';
import { RefreshToken } from './refresh-token.entity.ts';
import type { IdentityCache } from './identity-cache.ts';
import { REFRESH_TOKEN_TTL_MS, createSecret, hashSecret, type TokenService } from './token-service.ts';
import { User } from './user.entity.ts';

/**
 * Two tabs refreshing at the same moment both present the same token; the second one, arriving
 * within this window after the first rotated it, gets a fresh sibling instead of a reuse alarm.
 */
export const REFRESH_GRACE_MS = 10_000;

export interface AuthResult {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string };
  tenant: { id: string; name: string };
}

type RefreshOutcome = { ok: AuthResult } | { reused: true; familyId: string } | { invalid: string };

export class SessionService {
  constructor(
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    /** Where ended sessions are announced to every instance's cache; absent where nothing caches sessions. */
    private readonly changes?: Pick<IdentityCache, 'announce'>,
  ) {}

  /** Starts a session (a new refresh-token family) inside the tenant transaction `tx`. */
  async start(tx: EntityManager, user: AuthResult['user'], tenant: AuthResult['tenant']): Promise<AuthResult> {
    return this.issue(tx, user, tenant, randomUUID());
  }

  /**
   * A session-shaped answer that opens nothing: a refresh token never stored and an access token that
   * never verifies (TokenService.issueDecoyAccessToken), for `user` and `tenant` that do not exist.
   * Both fail on first use exactly as an ended session's do.
   */
  async decoy(user: AuthResult['user'], tenant: AuthResult['tenant']): Promise<AuthResult> {
    const refresh = createSecret('mrt_');
    const accessToken = await this.tokens.issueDecoyAccessToken({ userId: user.id, tenantId: tenant.id, familyId: randomUUID() });
    return { accessToken, refreshToken: refresh.token, user, tenant };
  }

  /**
   * Exchanges a refresh token for a new pair. Every token is single-use: presenting one that was
   * already exchanged (outside the grace window) signs the whole family out, since either the user
   * or a thief holds a copy.
   */
  async refresh(em: EntityManager, refreshToken: string, ip: string | undefined): Promise<AuthResult> {
    const hash = hashSecret(refreshToken);
    const [found] = await em.execute<{ id: string; tenant_id: string }[]>(
      'select id, tenant_id from mascot_resolve_refresh_token(?)',
      [hash],
    );
    if (!found) throw DomainError.unauthenticated('The refresh token is not valid.');
    const outcome = await inTenant(em, found.tenant_id, (tx) => this.rotate(tx, found.id, ip));
    if ('ok' in outcome) return outcome.ok;
    if ('reused' in outcome) {
      await this.changes?.announce({ type: 'sessionEnded', familyId: outcome.familyId });
      throw DomainError.unauthenticated('This refresh token was already used. The session was signed out for safety.');
    }
    throw DomainError.unauthenticated(outcome.invalid);
  }

  /** Ends the session of this access token: its refresh family stops working, and so do its access tokens. */
  async logOut(em: EntityManager, principal: UserPrincipal): Promise<void> {
    await inTenant(em, principal.tenantId, (tx) => this.revokeFamily(tx, principal.familyId ?? '', 'logout'));
    if (principal.familyId) await this.changes?.announce({ type: 'sessionEnded', familyId: principal.familyId });
  }

  /** A session in another tenant the user belongs to. */
  async switchTenant(em: EntityManager, principal: UserPrincipal, tenantId: string): Promise<AuthResult> {
    return inTenant(em, tenantId, async (tx) => {
      const membership = await tx.findOne(Membership, { userId: principal.userId, tenantId });
      if (!membership) throw DomainError.notFound('Tenant');
      const user = await tx.findOneOrFail(User, { id: principal.userId });
      const tenant = await tx.findOneOrFail(Tenant, { id: tenantId });
      return this.start(tx, { id: user.id, email: user.email }, { id: tenant.id, name: tenant.name });
    });
  }

  /**
   * Revokes every live token of a family (logout, reuse, removal from the tenant). Inside the caller's
   * transaction: the caller announces `sessionEnded` once it committed.
   */
  async revokeFamily(tx: EntityManager, familyId: string, reason: 'logout' | 'reused' | 'removed'): Promise<void> {
    await tx.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: new Date(), revokedReason: reason });
  }

  private async rotate(tx: EntityManager, tokenId: string, ip: string | undefined): Promise<RefreshOutcome> {
    // Row lock: concurrent refreshes of the same token are serialized, so exactly one rotates it.
    const token = await tx.findOneOrFail(RefreshToken, { id: tokenId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const now = Date.now();
    if (token.expiresAt.getTime() <= now) return { invalid: 'The refresh token has expired; sign in again.' };

    if (token.revokedAt) {
      const familyDead = await tx.count(RefreshToken, { familyId: token.familyId, revokedReason: { $in: ['logout', 'reused', 'removed'] } });
      if (token.revokedReason !== 'rotated' || familyDead > 0) return { invalid: 'The session has ended; sign in again.' };
      if (now - token.revokedAt.getTime() <= REFRESH_GRACE_MS) return { ok: await this.continueSession(tx, token) };
      await this.revokeFamily(tx, token.familyId, 'reused');
      this.audit.record(tx, token.tenantId, {
        action: 'session.reuse_detected',
        actor: { kind: 'system' },
        target: { type: 'user', id: token.userId },
        ip,
      });
      return { reused: true, familyId: token.familyId };
    }

    token.revokedAt = new Date(now);
    token.revokedReason = 'rotated';
    return { ok: await this.continueSession(tx, token) };
  }

  private async continueSession(tx: EntityManager, token: RefreshToken): Promise<AuthResult> {
    const membership = await tx.findOne(Membership, { userId: token.userId, tenantId: token.tenantId });
    const user = await tx.findOne(User, { id: token.userId });
    const tenant = await tx.findOne(Tenant, { id: token.tenantId });
    if (!membership || !user || !tenant) throw DomainError.unauthenticated('This account no longer has access.');
    return this.issue(tx, { id: user.id, email: user.email }, { id: tenant.id, name: tenant.name }, token.familyId);
  }

  private async issue(
    tx: EntityManager,
    user: AuthResult['user'],
    tenant: AuthResult['tenant'],
    familyId: string,
  ): Promise<AuthResult> {
    const refresh = createSecret('mrt_');
    tx.create(RefreshToken, {
      id: randomUUID(),
      tenantId: tenant.id,
      userId: user.id,
      familyId,
      tokenHash: refresh.hash,
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS),
      revokedAt: null,
      revokedReason: null,
    });
    await tx.flush();
    const accessToken = await this.tokens.issueAccessToken({ userId: user.id, tenantId: tenant.id, familyId });
    return { accessToken, refreshToken: refresh.token, user, tenant };
  }
}

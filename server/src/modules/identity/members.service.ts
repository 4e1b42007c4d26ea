import { randomUUID } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { MEMBERSHIP_ROLES, roleAllows, type MembershipRole, type TenantActor, type UserPrincipal } from '../../core/auth/index.ts';
import { findPage, inTenant, lazily, mapNodes, type KeysetRequest, type Page } from '../../core/db/index.ts';
import { DomainError, parseId, parseInput } from '../../core/errors/index.ts';
import type { AuditService } from '../audit/index.ts';
import { Tenant } from '../tenants/index.ts';
import { emailSchema } from './identity.service.ts';
import type { AgentDepartureHandler } from './agent-departures.ts';
import { Invitation } from './invitation.entity.ts';
import { Membership } from './membership.entity.ts';
import type { IdentityCache } from './identity-cache.ts';
import type { AuthResult, SessionService } from './session.service.ts';
import { RefreshToken } from './refresh-token.entity.ts';
import { createSecret, hashSecret } from './token-service.ts';
import { User } from './user.entity.ts';

const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;
const invitableRole = z.enum(MEMBERSHIP_ROLES).refine((r) => r !== 'owner', 'owners are made by promoting a member');
const inviteSchema = z.object({ email: emailSchema, role: invitableRole });
const roleSchema = z.object({ role: z.enum(MEMBERSHIP_ROLES) });

export interface MemberView {
  userId: string;
  email: string;
  role: MembershipRole;
  createdAt: Date;
  id: string;
}

export class MembersService {
  constructor(
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    /** Where role changes and removals are announced to every instance's cache. */
    private readonly changes?: Pick<IdentityCache, 'announce'>,
    /** Hands back the conversations a removed member (or one no longer allowed to handle them) held. */
    private readonly departures?: AgentDepartureHandler,
  ) {}

  /** The tenant's members, newest first, with their e-mail addresses. */
  async list(em: EntityManager, tenantId: string, page: KeysetRequest): Promise<Page<MemberView>> {
    const listed = await inTenant(em, tenantId, async (tx) => {
      const memberships = await findPage(tx, Membership, {}, page);
      const users = await tx.find(User, { id: { $in: memberships.edges.map((e) => e.node.userId) } });
      const emails = new Map(users.map((u) => [u.id, u.email]));
      return mapNodes(memberships, (m) => ({ id: m.id, userId: m.userId, email: emails.get(m.userId) ?? '', role: m.role, createdAt: m.createdAt }));
    });
    return { ...listed, totalCount: lazily(() => inTenant(em, tenantId, (tx) => tx.count(Membership, {}))) };
  }

  /** Creates a single-use invitation; the token is returned once, to be passed on by the inviter. */
  async invite(em: EntityManager, actor: TenantActor, input: z.input<typeof inviteSchema>, ip?: string) {
    const data = parseInput(inviteSchema, input);
    const secret = createSecret('minv_');
    const invitation = await inTenant(em, actor.tenantId, async (tx) => {
      const created = tx.create(Invitation, {
        id: randomUUID(),
        tenantId: actor.tenantId,
        email: data.email,
        role: data.role as Exclude<MembershipRole, 'owner'>,
        tokenHash: secret.hash,
        invitedBy: actor.kind === 'user' ? actor.userId : null,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
        acceptedAt: null,
        acceptedBy: null,
      });
      this.audit.record(tx, actor.tenantId, { action: 'member.invited', actor, target: { type: 'invitation', id: created.id }, ip, metadata: { email: data.email, role: data.role } });
      await tx.flush();
      return created;
    });
    return { invitation, token: secret.token };
  }

  /** Invitations not yet accepted and not expired, newest first (the Console's Team screen). */
  async pendingInvitations(em: EntityManager, tenantId: string, page: KeysetRequest): Promise<Page<Invitation>> {
    const pending = () => ({ acceptedAt: null, expiresAt: { $gt: new Date() } });
    const listed = await inTenant(em, tenantId, (tx) => findPage(tx, Invitation, pending(), page));
    return { ...listed, totalCount: lazily(() => inTenant(em, tenantId, (tx) => tx.count(Invitation, pending()))) };
  }

  /** Withdraws a pending invitation: its link stops working at once. An accepted one is a member now (CONFLICT). */
  async revokeInvitation(em: EntityManager, actor: TenantActor, invitationId: string, ip?: string): Promise<void> {
    const id = parseId(invitationId, 'id');
    await inTenant(em, actor.tenantId, async (tx) => {
      const invitation = await tx.findOne(Invitation, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!invitation) throw DomainError.notFound('Invitation');
      if (invitation.acceptedAt) throw DomainError.conflict('This invitation was accepted; remove the member instead.');
      tx.remove(invitation);
      this.audit.record(tx, actor.tenantId, { action: 'member.invitation_revoked', actor, target: { type: 'invitation', id }, ip, metadata: { email: invitation.email } });
      await tx.flush();
    });
  }

  /** The signed-in user joins the inviting tenant (email must match) and gets a session there. */
  async accept(em: EntityManager, principal: UserPrincipal, token: string, ip?: string): Promise<AuthResult> {
    const [found] = await em.execute<{ id: string; tenant_id: string }[]>(
      'select id, tenant_id from mascot_resolve_invitation(?)',
      [hashSecret(token)],
    );
    if (!found) throw DomainError.notFound('Invitation');
    const user = await em.fork().findOneOrFail(User, { id: principal.userId });
    return inTenant(em, found.tenant_id, async (tx) => {
      const invitation = await tx.findOneOrFail(Invitation, { id: found.id });
      if (invitation.acceptedAt) throw DomainError.conflict('This invitation has already been used.');
      if (invitation.expiresAt.getTime() < Date.now()) throw DomainError.conflict('This invitation has expired; ask for a new one.');
      if (invitation.email !== user.email) throw DomainError.forbidden('This invitation was sent to a different email address.');
      const existing = await tx.findOne(Membership, { userId: user.id });
      if (!existing) {
        tx.create(Membership, { id: randomUUID(), tenantId: invitation.tenantId, userId: user.id, role: invitation.role });
      }
      invitation.acceptedAt = new Date();
      invitation.acceptedBy = user.id;
      this.audit.record(tx, invitation.tenantId, { action: 'member.joined', actor: principal, target: { type: 'user', id: user.id }, ip, metadata: { role: invitation.role } });
      await tx.flush();
      const tenant = await tx.findOneOrFail(Tenant, { id: invitation.tenantId });
      return this.sessions.start(tx, { id: user.id, email: user.email }, { id: tenant.id, name: tenant.name });
    });
  }

  async changeRole(em: EntityManager, actor: TenantActor, userId: string, input: z.input<typeof roleSchema>, ip?: string): Promise<MemberView> {
    const { role } = parseInput(roleSchema, input);
    const changed = await inTenant(em, actor.tenantId, async (tx) => {
      const membership = await this.memberFor(tx, actor, userId);
      if (role === 'owner' && !(actor.kind === 'user' && actor.role === 'owner')) {
        throw DomainError.forbidden('Only an owner can make someone an owner.');
      }
      if (membership.role === 'owner' && role !== 'owner') await this.keepAnOwner(tx);
      const previous = membership.role;
      membership.role = role;
      this.audit.record(tx, actor.tenantId, { action: 'member.role_changed', actor, target: { type: 'user', id: membership.userId }, ip, metadata: { from: previous, to: role } });
      await tx.flush();
      const released = await this.departIfNoLongerAgent(tx, actor.tenantId, membership.userId, role);
      const user = await tx.findOneOrFail(User, { id: membership.userId });
      return { member: { id: membership.id, userId: user.id, email: user.email, role: membership.role, createdAt: membership.createdAt }, released };
    });
    await this.changes?.announce({ type: 'memberChanged', tenantId: actor.tenantId, userId: changed.member.userId });
    await changed.released?.();
    return changed.member;
  }

  /** Removes a member; their sessions in this tenant end at once. */
  async remove(em: EntityManager, actor: TenantActor, userId: string, ip?: string): Promise<void> {
    const removed = await inTenant(em, actor.tenantId, async (tx) => {
      const membership = await this.memberFor(tx, actor, userId);
      if (membership.role === 'owner') await this.keepAnOwner(tx);
      tx.remove(membership);
      await tx.nativeUpdate(RefreshToken, { userId: membership.userId, revokedAt: null }, { revokedAt: new Date(), revokedReason: 'removed' });
      this.audit.record(tx, actor.tenantId, { action: 'member.removed', actor, target: { type: 'user', id: membership.userId }, ip });
      await tx.flush();
      const released = await this.departIfNoLongerAgent(tx, actor.tenantId, membership.userId, null);
      return { userId: membership.userId, released };
    });
    await this.changes?.announce({ type: 'memberChanged', tenantId: actor.tenantId, userId: removed.userId });
    await removed.released?.();
  }

  /**
   * A member removed (`role` null) or moved to a role that cannot handle conversations leaves the ones they
   * held, in this transaction: nobody else could take them over or hand them back. Runs after the membership
   * change is flushed, whose row lock orders it against a take-over by the member (handoff-agent.ts).
   */
  private async departIfNoLongerAgent(tx: EntityManager, tenantId: string, userId: string, role: MembershipRole | null): Promise<(() => Promise<void>) | undefined> {
    if (role && roleAllows(role, 'conversations:handle')) return undefined;
    return this.departures?.(tx, { kind: 'user', tenantId, userId });
  }

  /** Only owners may change or remove owners; nobody may touch a member of another tenant (NOT_FOUND). */
  private async memberFor(tx: EntityManager, actor: TenantActor, userId: string): Promise<Membership> {
    const membership = await tx.findOne(Membership, { userId: parseId(userId, 'userId') });
    if (!membership) throw DomainError.notFound('Member');
    if (membership.role === 'owner' && !(actor.kind === 'user' && actor.role === 'owner')) {
      throw DomainError.forbidden('Only an owner can change or remove an owner.');
    }
    return membership;
  }

  private async keepAnOwner(tx: EntityManager): Promise<void> {
    // Locking the owners' rows serializes concurrent demotions, so two cannot both pass this check.
    const owners = (await tx.find(Membership, { role: 'owner' }, { lockMode: LockMode.PESSIMISTIC_WRITE })).length;
    if (owners <= 1) throw DomainError.conflict('A tenant must keep at least one owner.');
  }
}

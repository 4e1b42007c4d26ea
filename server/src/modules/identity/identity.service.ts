import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode } from '@mascot/contracts';
import { z } from 'zod';
import type { MembershipRole } from '../../core/auth/index.ts';
import type { RateLimits } from '../../core/rate-limit/index.ts';
import { inTenant } from '../../core/db/index.ts';
import { DomainError, parseInput } from '../../core/errors/index.ts';
import type { AuditService } from '../audit/index.ts';
import { Tenant } from '../tenants/index.ts';
import { Membership } from './membership.entity.ts';
import { hashPassword, verifyPassword } from './password-hasher.ts';
import type { AuthResult, SessionService } from './session.service.ts';
import { User } from './user.entity.ts';

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email('must be an email address')).pipe(z.string().max(254));
// NIST 800-63B: length, not composition rules. 128 is generous; argon2 input stays bounded.
const password = z.string().min(8, 'must be at least 8 characters').max(128, 'must be at most 128 characters');

const signUpSchema = z.object({
  email: emailSchema,
  password,
  tenantName: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
});
const logInSchema = z.object({ email: emailSchema, password: z.string().min(1).max(1024) });

export class IdentityService {
  constructor(
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly throttle: Pick<RateLimits, 'loginAttempt'>,
  ) {}

  /**
   * The public sign-up: creates a user, their tenant and an owner membership, and signs them in. It
   * does not tell whether an address is registered (issue 15, finding 9): for one that is, the answer
   * has the same shape (the given address and tenant name, fresh ids, a token pair) and costs about
   * the same time (the same password hashing, a transaction that fails on the address, an audit
   * write), but opens no session; the tokens fail on first use like an ended session's. The owner of
   * the address finds `user.sign_up_with_existing_email` in their audit log (Mascot sends no mail).
   */
  async signUp(em: EntityManager, input: z.input<typeof signUpSchema>, ip?: string): Promise<AuthResult> {
    try {
      return await this.createAccount(em, input, ip);
    } catch (error) {
      if (!(error instanceof DomainError && error.code === ErrorCode.CONFLICT)) throw error;
      const data = parseInput(signUpSchema, input);
      await this.recordSignUpWithExistingEmail(em, data.email, ip);
      return this.sessions.decoy({ id: randomUUID(), email: data.email }, { id: randomUUID(), name: data.tenantName });
    }
  }

  /**
   * Creates a user, their tenant and an owner membership, and signs them in; CONFLICT when the address
   * is registered. For the server's own accounts (the demo seed); clients get signUp.
   */
  async createAccount(em: EntityManager, input: z.input<typeof signUpSchema>, ip?: string): Promise<AuthResult> {
    const data = parseInput(signUpSchema, input);
    const passwordHash = await hashPassword(data.password);
    const tenantId = randomUUID();
    try {
      return await inTenant(em, tenantId, async (tx) => {
        const tenant = tx.create(Tenant, { id: tenantId, name: data.tenantName });
        const user = tx.create(User, { id: randomUUID(), email: data.email, passwordHash, isPlatformAdmin: false });
        tx.create(Membership, { id: randomUUID(), tenantId, userId: user.id, role: 'owner' });
        this.audit.record(tx, tenantId, { action: 'user.signed_up', actor: { kind: 'system' }, target: { type: 'user', id: user.id }, ip });
        await tx.flush();
        return this.sessions.start(tx, { id: user.id, email: user.email }, { id: tenant.id, name: tenant.name });
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw DomainError.conflict('An account with this email address already exists.');
      }
      throw error;
    }
  }

  /** Tells the registered owner of `email`, in their first tenant's audit log, that someone tried to sign up with it. */
  private async recordSignUpWithExistingEmail(em: EntityManager, email: string, ip: string | undefined): Promise<void> {
    const user = await em.fork().findOne(User, { email });
    const [membership] = user ? await this.membershipsOf(em.fork(), user.id) : [];
    if (!user || !membership) return;
    await inTenant(em.fork(), membership.tenantId, async (tx) => {
      this.audit.record(tx, membership.tenantId, {
        action: 'user.sign_up_with_existing_email',
        actor: { kind: 'system' },
        target: { type: 'user', id: user.id },
        ip,
      });
      await tx.flush();
    });
  }

  /** Signs in to the user's first tenant; `switchTenant` moves to another. */
  async logIn(em: EntityManager, input: z.input<typeof logInSchema>, ip?: string): Promise<AuthResult> {
    const data = parseInput(logInSchema, input);
    // Throttled per account and per IP before the password is looked at (RATE_LIMITED with retryAfter),
    // for unknown emails too, so the limit does not reveal which accounts exist.
    const attempt = await this.throttle.loginAttempt({ email: data.email, ip });
    const user = await em.findOne(User, { email: data.email }, { populate: ['passwordHash'] });
    // Same error for unknown email and wrong password: no account enumeration.
    const invalid = () => DomainError.unauthenticated('The email address or password is not correct.');
    if (!user) {
      // Spend the same time as a real verification, so timing does not reveal which emails exist.
      await verifyPassword(await DUMMY_HASH, data.password);
      await attempt.recordFailure();
      throw invalid();
    }
    const [membership] = await this.membershipsOf(em, user.id);
    if (!membership) throw invalid();
    const passwordOk = await verifyPassword(user.passwordHash, data.password);
    if (!passwordOk) {
      await inTenant(em, membership.tenantId, async (tx) => {
        this.audit.record(tx, membership.tenantId, { action: 'user.sign_in_failed', actor: { kind: 'system' }, target: { type: 'user', id: user.id }, ip });
        await tx.flush();
      });
      await attempt.recordFailure();
      throw invalid();
    }
    await attempt.recordSuccess();
    return inTenant(em, membership.tenantId, async (tx) => {
      const tenant = await tx.findOneOrFail(Tenant, { id: membership.tenantId });
      const actor = { kind: 'user' as const, userId: user.id, tenantId: tenant.id, role: membership.role };
      this.audit.record(tx, tenant.id, { action: 'user.signed_in', actor, target: { type: 'user', id: user.id }, ip });
      return this.sessions.start(tx, { id: user.id, email: user.email }, { id: tenant.id, name: tenant.name });
    });
  }

  /**
   * The tenants a user belongs to, oldest first. Memberships are tenant-owned rows, so this
   * cross-tenant read goes through the SECURITY DEFINER function `mascot_user_memberships`.
   */
  async membershipsOf(em: EntityManager, userId: string): Promise<{ tenantId: string; role: MembershipRole }[]> {
    const rows = await em.execute<{ tenant_id: string; role: MembershipRole }[]>(
      'select tenant_id, role from mascot_user_memberships(?)',
      [userId],
    );
    return rows.map((row) => ({ tenantId: row.tenant_id, role: row.role }));
  }

  /** The signed-in user's account (`me { user }`); users are not tenant-owned. */
  async account(em: EntityManager, userId: string): Promise<{ id: string; email: string; isPlatformAdmin: boolean }> {
    const user = await em.findOneOrFail(User, { id: userId });
    return { id: user.id, email: user.email, isPlatformAdmin: user.isPlatformAdmin };
  }

  /** A tenant the principal belongs to, read in that tenant's scope. */
  async tenantOf(em: EntityManager, tenantId: string): Promise<{ id: string; name: string }> {
    const tenant = await inTenant(em.fork(), tenantId, (tx) => tx.findOneOrFail(Tenant, { id: tenantId }));
    return { id: tenant.id, name: tenant.name };
  }

  /** Every tenant the user belongs to, with their role there, oldest first. */
  async tenantsOf(em: EntityManager, userId: string): Promise<{ tenant: { id: string; name: string }; role: MembershipRole }[]> {
    const memberships = await this.membershipsOf(em, userId);
    return Promise.all(memberships.map(async (m) => ({ role: m.role, tenant: await this.tenantOf(em, m.tenantId) })));
  }
}

/** A real Argon2id hash of a random password, computed once, for the unknown-email path. */
const DUMMY_HASH = hashPassword(randomUUID());

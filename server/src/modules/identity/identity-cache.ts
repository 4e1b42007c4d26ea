import type { ApiKeyPrincipal, UserPrincipal } from '../../core/auth/index.ts';
import type { MessageBus } from '../../core/bus/index.ts';
import { followInvalidations, ResolvedCache } from '../../core/cache/index.ts';
import type { Logger } from '../../core/logging/index.ts';

/**
 * What makes a cached identity wrong. Announced after the change committed, on every instance
 * (including the one that made it) through the bus.
 */
export type IdentityChange =
  /** A key was revoked. */
  | { type: 'apiKeyRevoked'; keyId: string }
  /** A refresh family was revoked (sign-out, reuse detected): its access tokens stop working. */
  | { type: 'sessionEnded'; familyId: string }
  /** A membership's role changed or the member was removed (which also ends their sessions there). */
  | { type: 'memberChanged'; tenantId: string; userId: string };

/** Either who the credential is, or why it is refused (kept as text: a fresh error is thrown per request). */
export type Resolved<P> = { principal: P } | { refusal: string };

export interface IdentityCacheOptions {
  /** NATS with several instances; without one, changes reach only this process (which is all there is). */
  bus?: MessageBus | undefined;
  /** `subjects.clusterIdentity(namespace)`. */
  subject: string;
  logger?: Logger | undefined;
  /**
   * Longest an entry is trusted. Changes are announced over the bus within milliseconds; this bounds
   * the damage of one lost announcement (core NATS is at-most-once, e.g. during a reconnect), and of
   * what is never announced: a refresh family running out after 30 idle days.
   */
  ttlMs?: number;
  /** Entries per cache; the oldest go first. */
  maxEntries?: number;
}

/** Cache keys of member sessions: one per access-token family, tenant and user. */
const sessionKey = (tenantId: string, userId: string, familyId: string) => `${tenantId}/${userId}/${familyId}`;

/**
 * Members' sessions (with their role) and API keys as last read from the database, so a request with
 * a credential seen recently costs no query; invalidated on every instance when a key is revoked, a
 * session ends or a membership changes (see IdentityChange), within the bus's latency.
 */
export class IdentityCache {
  private readonly sessions: ResolvedCache<Resolved<UserPrincipal>>;
  /** By SHA-256 of the presented key. */
  private readonly apiKeys: ResolvedCache<Resolved<ApiKeyPrincipal>>;
  private unsubscribe: (() => void) | undefined;
  private bypass = false;
  private readonly listeners = new Set<(change: IdentityChange) => void>();

  constructor(private readonly options: IdentityCacheOptions) {
    const ttlMs = options.ttlMs ?? 30_000;
    const maxEntries = options.maxEntries ?? 50_000;
    this.sessions = new ResolvedCache(ttlMs, maxEntries);
    this.apiKeys = new ResolvedCache(ttlMs, maxEntries);
  }

  /** Listens for other instances' changes; resolves once the subscription is in place. */
  async start(): Promise<void> {
    const { bus, subject, logger } = this.options;
    if (!bus) return;
    this.unsubscribe = await followInvalidations(bus, subject, (change) => this.apply(change as IdentityChange), (error) => {
      // Without announcements entries would live their full TTL: trust none from now on.
      logger?.error({ err: error }, 'identity invalidations stopped; caching no identities');
      this.bypass = true;
      this.sessions.clear();
      this.apiKeys.clear();
    });
  }

  session(tenantId: string, userId: string, familyId: string, load: () => Promise<Resolved<UserPrincipal>>) {
    return this.bypass ? load() : this.sessions.get(sessionKey(tenantId, userId, familyId), load);
  }

  apiKey(keyHash: string, load: () => Promise<Resolved<ApiKeyPrincipal>>) {
    return this.bypass ? load() : this.apiKeys.get(keyHash, load);
  }

  /**
   * Call after the change committed. Applied here at once (this instance's next request sees it),
   * then announced to the others. Announcing never fails the caller: the change is already made,
   * and the TTL bounds how long another instance can miss it.
   */
  async announce(change: IdentityChange): Promise<void> {
    this.apply(change);
    const { bus, subject, logger } = this.options;
    try {
      await bus?.publish(subject, change);
    } catch (error) {
      logger?.error({ err: error, change }, 'could not announce an identity change to other instances');
    }
  }

  close(): void {
    this.unsubscribe?.();
  }

  /**
   * Hears every change applied here (this instance's own and the others'), e.g. to close sockets that
   * authenticated with a revoked credential. Returns the function that stops listening.
   */
  onChange(listener: (change: IdentityChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private apply(change: IdentityChange): void {
    this.drop(change);
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.options.logger?.error({ err: error, change }, 'an identity change listener failed');
      }
    }
  }

  private drop(change: IdentityChange): void {
    switch (change?.type) {
      case 'apiKeyRevoked':
        this.apiKeys.drop((_, value) => 'principal' in value && value.principal.keyId === change.keyId);
        break;
      case 'sessionEnded':
        this.sessions.drop((key) => key.endsWith(`/${change.familyId}`));
        break;
      case 'memberChanged':
        this.sessions.drop((key) => key.startsWith(`${change.tenantId}/${change.userId}/`));
        break;
      default:
        this.options.logger?.warn({ change }, 'ignored an unknown identity change');
    }
  }
}

/** Whether `change` makes `principal` (as a socket authenticated it) wrong: revoked, signed out, or its membership changed. */
export function changeAffects(change: IdentityChange, principal: { kind: string } & Partial<Record<'keyId' | 'familyId' | 'tenantId' | 'userId', string>>): boolean {
  switch (change.type) {
    case 'apiKeyRevoked':
      return principal.kind === 'apiKey' && principal.keyId === change.keyId;
    case 'sessionEnded':
      return principal.kind === 'user' && principal.familyId === change.familyId;
    case 'memberChanged':
      return principal.kind === 'user' && principal.tenantId === change.tenantId && principal.userId === change.userId;
    default:
      return false;
  }
}

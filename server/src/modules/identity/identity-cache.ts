import type { ApiKeyPrincipal, UserPrincipal } from '../../core/auth/index.ts';
import type { MessageBus } from '../../core/bus/index.ts';
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

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/** A bounded TTL map with single-flight loading that drops loads racing an invalidation. */
class ResolvedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly loading = new Map<string, Promise<V>>();
  /** Bumped by every invalidation: a load that started before one must not store what it read. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> | V {
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > Date.now()) return hit.value;
    const pending = this.loading.get(key);
    if (pending) return pending;
    const generation = this.generation;
    const loaded = load().then(
      (value) => {
        if (generation === this.generation) this.store(key, value);
        return value;
      },
    ).finally(() => {
      if (this.loading.get(key) === loaded) this.loading.delete(key);
    });
    this.loading.set(key, loaded);
    return loaded;
  }

  /** Drops every entry `matches` accepts, and makes loads under way forget what they read. */
  drop(matches: (key: string, value: V) => boolean): void {
    this.generation++;
    this.loading.clear();
    for (const [key, entry] of this.entries) if (matches(key, entry.value)) this.entries.delete(key);
  }

  clear(): void {
    this.drop(() => true);
  }

  private store(key: string, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      // A Map iterates in insertion order: the first key is the oldest entry.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expiresAt: Date.now() + this.ttlMs });
  }
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
    const subscription = await bus.subscribe(subject);
    this.unsubscribe = () => subscription.unsubscribe();
    void (async () => {
      try {
        for await (const change of subscription) this.apply(change as IdentityChange);
      } catch (error) {
        // Without announcements entries would live their full TTL: trust none from now on.
        logger?.error({ err: error }, 'identity invalidations stopped; caching no identities');
        this.bypass = true;
        this.sessions.clear();
        this.apiKeys.clear();
      }
    })();
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

  private apply(change: IdentityChange): void {
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

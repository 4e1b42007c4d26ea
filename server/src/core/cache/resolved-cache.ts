import type { MessageBus } from '../bus/index.ts';

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A bounded TTL map with single-flight loading that drops loads racing an invalidation: the building
 * block of caches invalidated over the bus (identity, webhook routes). Entries expire after `ttlMs`
 * whatever happens, which bounds what one lost invalidation can cost.
 */
export class ResolvedCache<V> {
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

/**
 * Hands every message of an invalidation subject to `apply` (the changes other instances announce, and
 * this one's own). When the subscription breaks, `onLost` is told once: a cache that can no longer hear
 * invalidations must stop trusting its entries. Resolves once subscribed, to the function that stops it.
 */
export async function followInvalidations(
  bus: MessageBus,
  subject: string,
  apply: (message: unknown) => void,
  onLost: (error: unknown) => void,
): Promise<() => void> {
  const subscription = await bus.subscribe(subject);
  void (async () => {
    try {
      for await (const message of subscription) apply(message);
    } catch (error) {
      onLost(error);
    }
  })();
  return () => subscription.unsubscribe();
}

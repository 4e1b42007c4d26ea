import { randomUUID } from 'node:crypto';
import type { MessageBus } from '../bus/index.ts';

/**
 * What instances tell each other: `from`'s own count in a window, absolute (not a delta), so a message
 * that arrives twice, late or out of order changes nothing, and a lost one is healed by the next.
 * `hello` asks every peer to resend its live counts (an instance that just started knows nothing).
 */
export interface CounterSyncMessage {
  from: string;
  hello?: true;
  /** [counter key, window end (Unix ms), the sender's points in that window] */
  counts?: [string, number, number][];
}

export interface SharedCountersOptions {
  /** Where counts travel; undefined: this instance counts alone (embedded single process). */
  bus?: MessageBus | undefined;
  /** The subject every instance of one installation uses (see `subjects.clusterRateLimits`). */
  subject: string;
  /** Longest a consumption waits before peers hear of it. */
  syncIntervalMs?: number;
  /** Called when publishing or reading the bus fails; counting goes on locally. */
  onError?: (error: unknown) => void;
  now?: () => number;
}

export interface CountResult {
  /** Points consumed in the window on every instance this one has heard of, this consumption included. */
  total: number;
  /** Milliseconds until the window ends. */
  msLeft: number;
}

interface Window {
  /** Window end, Unix ms, the same on every instance once they have heard of each other. */
  endsAt: number;
  /** Points consumed on this instance. */
  local: number;
  /** Other instances' counts in this window (instance id → points), and their sum. */
  remote: Map<string, number> | undefined;
  remoteTotal: number;
}

/** Counts per message, so one message stays far below NATS's default 1 MB payload limit. */
const MAX_COUNTS_PER_MESSAGE = 2_000;
const SWEEP_INTERVAL_MS = 10_000;

/**
 * Fixed-window counters held in memory and shared between instances over the message bus: a
 * consumption is answered at once from this instance's view (its own count plus what peers
 * reported), and the changed counts go out in one batch within `syncIntervalMs`. A window starts at
 * the first consumption of its key; when two instances start one concurrently they converge on the
 * earlier end. The price of answering without a round trip: peers learn of a consumption up to
 * `syncIntervalMs` plus the bus latency late, so together they may admit what they admitted in that
 * span more than the limit (see README "Overshoot").
 */
export class SharedCounters {
  readonly instanceId = randomUUID();
  private readonly windows = new Map<string, Window>();
  private readonly dirty = new Set<string>();
  private readonly now: () => number;
  private readonly syncIntervalMs: number;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly sweepTimer: NodeJS.Timeout;
  private unsubscribe: (() => void) | undefined;
  private closed = false;

  constructor(private readonly options: SharedCountersOptions) {
    this.now = options.now ?? Date.now;
    this.syncIntervalMs = options.syncIntervalMs ?? 50;
    // Expired windows are ignored anyway; dropping them only bounds memory.
    this.sweepTimer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();
  }

  /** Subscribes to peers' counts and asks them for theirs; resolves once both are under way. */
  async start(): Promise<void> {
    const { bus, subject } = this.options;
    if (!bus) return;
    const subscription = await bus.subscribe(subject);
    this.unsubscribe = () => subscription.unsubscribe();
    void (async () => {
      try {
        for await (const message of subscription) this.receive(message as CounterSyncMessage);
      } catch (error) {
        this.options.onError?.(error);
      }
    })();
    await this.publish({ from: this.instanceId, hello: true });
  }

  /** Adds `points` to `key`'s window (starting one of `durationMs` if none is live) and returns the total. */
  consume(key: string, points: number, durationMs: number): CountResult {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { endsAt: now + durationMs, local: 0, remote: undefined, remoteTotal: 0 };
      this.windows.set(key, window);
    }
    window.local += points;
    this.markDirty(key);
    return { total: window.local + window.remoteTotal, msLeft: window.endsAt - now };
  }

  /** The window of `key` as this instance sees it, without consuming; undefined when none is live. */
  peek(key: string): CountResult | undefined {
    const now = this.now();
    const window = this.windows.get(key);
    if (!window || window.endsAt <= now) return undefined;
    return { total: window.local + window.remoteTotal, msLeft: window.endsAt - now };
  }

  /** Publishes what is pending and stops listening. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweepTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    await this.flush();
    this.unsubscribe?.();
  }

  private markDirty(key: string): void {
    if (!this.options.bus || this.closed) return;
    this.dirty.add(key);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, this.syncIntervalMs);
  }

  private async flush(): Promise<void> {
    if (this.dirty.size === 0) return;
    const now = this.now();
    let counts: [string, number, number][] = [];
    const batches: [string, number, number][][] = [counts];
    for (const key of this.dirty) {
      const window = this.windows.get(key);
      if (!window || window.endsAt <= now) continue;
      if (counts.length === MAX_COUNTS_PER_MESSAGE) batches.push((counts = []));
      counts.push([key, window.endsAt, window.local]);
    }
    this.dirty.clear();
    for (const batch of batches) if (batch.length > 0) await this.publish({ from: this.instanceId, counts: batch });
  }

  private async publish(message: CounterSyncMessage): Promise<void> {
    try {
      await this.options.bus?.publish(this.options.subject, message);
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private receive(message: CounterSyncMessage): void {
    if (!message || typeof message.from !== 'string' || message.from === this.instanceId) return;
    if (message.hello) {
      // A peer just started: tell it every live count of ours.
      for (const [key, window] of this.windows) if (window.local > 0) this.markDirty(key);
    }
    if (!Array.isArray(message.counts)) return;
    const now = this.now();
    for (const entry of message.counts) {
      if (!Array.isArray(entry)) continue;
      const [key, endsAt, count] = entry;
      if (typeof key !== 'string' || typeof endsAt !== 'number' || typeof count !== 'number' || endsAt <= now) continue;
      this.merge(key, endsAt, message.from, count);
    }
  }

  private merge(key: string, endsAt: number, from: string, count: number): void {
    let window = this.windows.get(key);
    if (!window || window.endsAt <= this.now()) {
      window = { endsAt, local: 0, remote: undefined, remoteTotal: 0 };
      this.windows.set(key, window);
    } else if (endsAt < window.endsAt) {
      // Two instances opened the window concurrently: all adopt the earlier end, and our count,
      // announced with the later one, is announced again with it.
      window.endsAt = endsAt;
      if (window.local > 0) this.markDirty(key);
    }
    window.remote ??= new Map();
    const previous = window.remote.get(from) ?? 0;
    // A sender's count only grows within a window: the larger value is the newer, whatever the order.
    if (count <= previous) return;
    window.remote.set(from, count);
    window.remoteTotal += count - previous;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}

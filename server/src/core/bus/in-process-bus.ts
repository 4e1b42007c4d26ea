import { AsyncQueue } from './async-queue.ts';
import type { BusSubscription, MessageBus } from './message-bus.ts';

/**
 * The single-process stand-in for NATS: exact-subject delivery to every live subscriber. Unlike NATS it
 * has no wildcards; subjects are built by @mascot/events, which refuses ids that would contain them.
 */
export function createInProcessBus(): MessageBus {
  const subscribers = new Map<string, Set<AsyncQueue<unknown>>>();
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw new Error('The bus is closed.');
  };

  return {
    kind: 'in-process',
    async publish(subject, payload) {
      ensureOpen();
      // Round-trip through JSON so in-process delivery sees exactly what NATS would carry.
      const wire = JSON.stringify(payload);
      for (const queue of subscribers.get(subject) ?? []) queue.push(JSON.parse(wire));
    },
    async subscribe(subject): Promise<BusSubscription> {
      ensureOpen();
      const queue = new AsyncQueue<unknown>();
      const set = subscribers.get(subject) ?? new Set();
      set.add(queue);
      subscribers.set(subject, set);
      const unsubscribe = () => {
        queue.end();
        set.delete(queue);
        if (set.size === 0) subscribers.delete(subject);
      };
      return {
        unsubscribe,
        [Symbol.asyncIterator]: () => {
          const iterator = queue[Symbol.asyncIterator]();
          // Leaving a for-await loop early unsubscribes, as it does with NATS.
          return { next: () => iterator.next(), return: async () => (unsubscribe(), { value: undefined, done: true }) };
        },
      };
    },
    async ping() {},
    async close() {
      closed = true;
      for (const set of subscribers.values()) for (const queue of set) queue.end();
      subscribers.clear();
    },
  };
}

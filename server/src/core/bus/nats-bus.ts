import { connect } from '@nats-io/transport-node';
import type { Logger } from '../logging/index.ts';
import type { BusSubscription, MessageBus } from './message-bus.ts';

/** The bus over core NATS (at-most-once fan-out; durable work goes through JetStream streams). */
export async function connectNatsBus(url: string, logger: Logger): Promise<MessageBus> {
  const nc = await connect({ servers: url, name: 'mascot-server', maxReconnectAttempts: -1 });
  void (async () => {
    for await (const status of nc.status()) logger.info({ nats: status.type }, 'nats status');
  })();

  const outgoing = publishBatcher((subject, data) => nc.publish(subject, data));

  return {
    kind: 'nats',
    publish(subject, payload) {
      return outgoing.publish(subject, JSON.stringify(payload));
    },
    async subscribe(subject): Promise<BusSubscription> {
      const sub = nc.subscribe(subject);
      // The subscription reaches the server with the next flush; wait for it so that
      // a publish from another instance right after subscribe() is not missed.
      await nc.flush();
      async function* messages() {
        for await (const msg of sub) {
          try {
            yield msg.json();
          } catch (error) {
            logger.warn({ subject, err: error }, 'dropped a bus message that is not JSON');
          }
        }
      }
      const iterator = messages();
      return { unsubscribe: () => sub.unsubscribe(), [Symbol.asyncIterator]: () => iterator };
    },
    async ping() {
      await nc.rtt();
    },
    async close() {
      await outgoing.drained();
      await nc.drain();
    },
  };
}

/**
 * Publishes in batches, one per turn of the event loop: everything published during a turn (every
 * token of every reply streaming on this instance) goes to the NATS client together at the turn's end
 * (`setImmediate`), so the client writes it to its socket in **one** write. The client alone writes
 * once per microtask checkpoint, which under load is once per token: a syscall each, which made socket
 * writes to NATS the largest single cost of streaming (issue 13). Order is kept; the delay is the rest
 * of the current turn. Each publish still settles with its own outcome (the client throws for a closed
 * connection or a bad subject).
 */
export function publishBatcher(send: (subject: string, data: string) => void): {
  publish(subject: string, data: string): Promise<void>;
  drained(): Promise<void>;
} {
  let pending: { subject: string; data: string; settle: (error?: unknown) => void }[] = [];
  let scheduled: Promise<void> | null = null;
  const flush = () => {
    const batch = pending;
    pending = [];
    scheduled = null;
    for (const item of batch) {
      try {
        send(item.subject, item.data);
        item.settle();
      } catch (error) {
        item.settle(error);
      }
    }
  };
  return {
    publish(subject, data) {
      return new Promise<void>((resolve, reject) => {
        pending.push({ subject, data, settle: (error) => (error === undefined ? resolve() : reject(error)) });
        scheduled ??= new Promise<void>((done) => setImmediate(() => (flush(), done())));
      });
    },
    async drained() {
      while (scheduled) await scheduled;
    },
  };
}

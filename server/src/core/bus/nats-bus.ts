import { connect } from '@nats-io/transport-node';
import type { Logger } from '../logging/index.ts';
import type { BusSubscription, MessageBus } from './message-bus.ts';

/** The bus over core NATS (at-most-once fan-out; durable work goes through JetStream streams). */
export async function connectNatsBus(url: string, logger: Logger): Promise<MessageBus> {
  const nc = await connect({ servers: url, name: 'mascot-server', maxReconnectAttempts: -1 });
  void (async () => {
    for await (const status of nc.status()) logger.info({ nats: status.type }, 'nats status');
  })();

  return {
    kind: 'nats',
    // At once, not batched per event-loop turn: batching was measured twice in bench:load (a76c735 and
    // 4f27487) and cost more CPU per answer and lateness than the socket writes it saved.
    async publish(subject, payload) {
      nc.publish(subject, JSON.stringify(payload));
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
      await nc.drain();
    },
  };
}


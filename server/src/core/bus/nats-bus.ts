import { connect } from '@nats-io/transport-node';
import type { Logger } from '../logging/index.ts';
import type { BusSubscription, MessageBus } from './message-bus.ts';

/** The bus over core NATS (at-most-once fan-out; durable work goes through JetStream streams). */
export async function connectNatsBus(url: string, logger: Logger): Promise<MessageBus> {
  const nc = await connect({ servers: url, name: 'mascot-server', maxReconnectAttempts: -1 });
  void (async () => {
    for await (const status of nc.status()) logger.info({ nats: status.type }, 'nats status');
  })();

  // Publishes wait for the end of the event loop's current turn and go out together. nats.js writes
  // its buffer once per microtask checkpoint, and streamed tokens of different replies arrive in
  // separate socket reads, so published one by one each token cost a socket write of its own (a
  // syscall per token was the largest single cost of a busy server). Under load one turn carries many
  // tokens and the write is shared; when idle a token waits only for the rest of the current turn.
  // Order is kept: one queue, published in the order given.
  let queued: Array<[subject: string, data: string]> = [];
  const publishQueued = () => {
    const batch = queued;
    queued = [];
    for (const [subject, data] of batch) {
      try {
        nc.publish(subject, data);
      } catch (error) {
        // At-most-once: a publish on a closed or draining connection is lost, as it was before batching.
        logger.warn({ subject, err: error }, 'could not publish a bus message');
      }
    }
  };

  return {
    kind: 'nats',
    async publish(subject, payload) {
      const data = JSON.stringify(payload);
      if (queued.length === 0) setImmediate(publishQueued);
      queued.push([subject, data]);
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
      publishQueued();
      await nc.drain();
    },
  };
}

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subjects } from '@mascot/events';
import { createLogger } from '../logging/logger.ts';
import type { BusSubscription, MessageBus } from './message-bus.ts';
import { connectNatsBus } from './nats-bus.ts';

const natsUrl = process.env['NATS_URL'];
const logger = createLogger(process.env['LOG_LEVEL'] ?? 'silent');

/** Collects `count` messages, failing instead of hanging when they do not come. */
async function take(subscription: BusSubscription, count: number, timeoutMs = 5000): Promise<unknown[]> {
  const received: unknown[] = [];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out; received ${JSON.stringify(received)}`)), timeoutMs);
  });
  const reading = (async () => {
    for await (const message of subscription) {
      received.push(message);
      if (received.length === count) return received;
    }
    return received; // the iteration ended early
  })();
  try {
    return await Promise.race([reading, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const replySubject = (tenantId = randomUUID(), conversationId = randomUUID()) =>
  subjects.conversationReply(tenantId, conversationId);

describe.skipIf(!natsUrl)('NATS bus', () => { // needs a real NATS server; CI sets NATS_URL
  // Two connections stand for two server instances: one holds the visitor's socket, the other runs the reply.
  let holder: MessageBus;
  let replier: MessageBus;

  beforeAll(async () => {
    [holder, replier] = await Promise.all([connectNatsBus(natsUrl!, logger), connectNatsBus(natsUrl!, logger)]);
  });
  afterAll(async () => {
    await holder?.close();
    await replier?.close();
  });

  it('delivers what another connection publishes right after subscribe() resolves', async () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const subject = replySubject();
      const subscription = await holder.subscribe(subject);
      await replier.publish(subject, { attempt, type: 'ReplyStarted' }); // no delay: subscribe() must have reached the server
      expect(await take(subscription, 1)).toEqual([{ attempt, type: 'ReplyStarted' }]);
      subscription.unsubscribe();
    }
  });

  it('never delivers tenant B\'s messages to a subscriber of tenant A\'s subject', async () => {
    const conversationId = randomUUID();
    const tenantA = replySubject(randomUUID(), conversationId);
    const tenantB = replySubject(randomUUID(), conversationId);
    const subscription = await holder.subscribe(tenantA);
    await replier.publish(tenantB, { for: 'B' });
    await replier.publish(tenantA, { for: 'A' });
    // One connection's messages arrive in order, so B's would have come first had it leaked.
    expect(await take(subscription, 1)).toEqual([{ for: 'A' }]);
    subscription.unsubscribe();
  });

  it('ends the iteration on unsubscribe', async () => {
    const subscription = await holder.subscribe(replySubject());
    const reading = take(subscription, 1);
    subscription.unsubscribe();
    expect(await reading).toEqual([]);
  });

  it('answers ping while connected', async () => {
    expect(holder.kind).toBe('nats');
    await expect(holder.ping()).resolves.toBeUndefined();
    await expect(replier.ping()).resolves.toBeUndefined();
  });

  it('drains on close: everything published just before close arrives, and its subscriptions end', async () => {
    const subject = replySubject();
    const subscription = await holder.subscribe(subject);
    const closing = await connectNatsBus(natsUrl!, logger);
    const closingSubscription = await closing.subscribe(replySubject());
    const closingReader = take(closingSubscription, 1);
    for (let seq = 1; seq <= 200; seq++) void closing.publish(subject, { seq });
    await closing.close(); // drain flushes pending publishes before the connection goes away
    const received = await take(subscription, 200);
    expect(received.map((m) => (m as { seq: number }).seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(await closingReader).toEqual([]); // the closed bus's own subscription ended instead of hanging
    await expect(closing.ping()).rejects.toThrow();
    subscription.unsubscribe();
  });
});

import { describe, expect, it } from 'vitest';
import { createInProcessBus } from './in-process-bus.ts';
import type { BusSubscription } from './message-bus.ts';

/** Reads the next message, or 'ended' when the iteration is over; fails instead of hanging. */
async function next(subscription: BusSubscription, iterator = subscription[Symbol.asyncIterator]()) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no message within 1s')), 1000)));
  try {
    const result = await Promise.race([iterator.next(), timeout]);
    return result.done ? 'ended' : result.value;
  } finally {
    clearTimeout(timer);
  }
}

describe('in-process bus', () => {
  it('delivers a payload to every subscriber of exactly that subject, in publish order', async () => {
    const bus = createInProcessBus();
    const a = await bus.subscribe('tenant.t1.conversation.c1.reply');
    const b = await bus.subscribe('tenant.t1.conversation.c1.reply');
    await bus.publish('tenant.t1.conversation.c1.reply', { seq: 1 });
    await bus.publish('tenant.t1.conversation.c1.reply', { seq: 2 });
    expect([await next(a), await next(a)]).toEqual([{ seq: 1 }, { seq: 2 }]);
    expect([await next(b), await next(b)]).toEqual([{ seq: 1 }, { seq: 2 }]);
    await bus.close();
  });

  it('never delivers a message published on another subject, even one sharing a prefix', async () => {
    const bus = createInProcessBus();
    const subscription = await bus.subscribe('tenant.t1.conversation.c1.reply');
    await bus.publish('tenant.t2.conversation.c1.reply', 'other tenant');
    await bus.publish('tenant.t1.conversation.c2.reply', 'other conversation');
    await bus.publish('tenant.t1.conversation.c1', 'prefix');
    await bus.publish('tenant.t1.conversation.c1.reply.extra', 'longer subject');
    await bus.publish('tenant.t1.conversation.c1.reply', 'mine');
    expect(await next(subscription)).toBe('mine'); // anything misdelivered would have arrived first
    await bus.close();
  });

  it('does not replay what was published before the subscription', async () => {
    const bus = createInProcessBus();
    await bus.publish('s', 'early');
    const subscription = await bus.subscribe('s');
    await bus.publish('s', 'late');
    expect(await next(subscription)).toBe('late');
    await bus.close();
  });

  it('ends the iteration on unsubscribe, also for a reader already waiting, and delivers nothing after', async () => {
    const bus = createInProcessBus();
    const subscription = await bus.subscribe('s');
    const iterator = subscription[Symbol.asyncIterator]();
    const waiting = next(subscription, iterator);
    subscription.unsubscribe();
    expect(await waiting).toBe('ended');
    await bus.publish('s', 'too late');
    expect(await next(subscription, iterator)).toBe('ended');
    expect(() => subscription.unsubscribe()).not.toThrow(); // safe to call twice
  });

  it('leaves other subscribers of the same subject running when one unsubscribes', async () => {
    const bus = createInProcessBus();
    const leaving = await bus.subscribe('s');
    const staying = await bus.subscribe('s');
    leaving.unsubscribe();
    await bus.publish('s', 'still here');
    expect(await next(staying)).toBe('still here');
    expect(await next(leaving)).toBe('ended');
    await bus.close();
  });

  it('ends every subscription on close', async () => {
    const bus = createInProcessBus();
    const subscriptions = await Promise.all([bus.subscribe('a'), bus.subscribe('a'), bus.subscribe('b')]);
    const waiting = subscriptions.map((s) => next(s));
    await bus.close();
    expect(await Promise.all(waiting)).toEqual(['ended', 'ended', 'ended']);
  });

  it('hands each receiver a JSON copy: changing the payload after publishing changes nothing received', async () => {
    const bus = createInProcessBus();
    const first = await bus.subscribe('s');
    const second = await bus.subscribe('s');
    const payload = { text: 'original', tags: ['a'], at: new Date('2026-01-02T03:04:05.000Z') };
    await bus.publish('s', payload);
    payload.text = 'changed';
    payload.tags.push('b');
    const received = (await next(first)) as { text: string; tags: string[] };
    expect(received).toEqual({ text: 'original', tags: ['a'], at: '2026-01-02T03:04:05.000Z' }); // as NATS would carry it
    received.tags.push('mutated by the first receiver');
    expect(await next(second)).toEqual({ text: 'original', tags: ['a'], at: '2026-01-02T03:04:05.000Z' });
    await bus.close();
  });

  it('answers ping', async () => {
    const bus = createInProcessBus();
    await expect(bus.ping()).resolves.toBeUndefined();
    expect(bus.kind).toBe('in-process');
    await bus.close();
  });
});

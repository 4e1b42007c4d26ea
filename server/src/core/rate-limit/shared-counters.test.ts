import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessBus, type MessageBus } from '../bus/index.ts';
import { SharedCounters, type CounterSyncMessage } from './shared-counters.ts';

const SUBJECT = 'cluster.test.rate-limits';
const MINUTE = 60_000;
const opened: SharedCounters[] = [];
let bus: MessageBus;

afterEach(async () => {
  for (const counters of opened.splice(0)) await counters.close();
  await bus?.close();
});

async function instance(options: { now?: () => number } = {}): Promise<SharedCounters> {
  const counters = new SharedCounters({ bus, subject: SUBJECT, syncIntervalMs: 5, ...options });
  opened.push(counters);
  await counters.start();
  return counters;
}

const totalOf = (counters: SharedCounters, key: string) => counters.peek(key)?.total ?? 0;

describe('SharedCounters', () => {
  it('answers from memory at once and tells the other instances within the sync interval', async () => {
    bus = createInProcessBus();
    const [one, two] = [await instance(), await instance()];
    expect(one.consume('ip:a', 3, MINUTE).total).toBe(3);
    expect(totalOf(two, 'ip:a')).toBe(0); // not yet: sent in the next batch
    await expect.poll(() => totalOf(two, 'ip:a')).toBe(3);
    expect(two.consume('ip:a', 2, MINUTE).total).toBe(5);
    await expect.poll(() => totalOf(one, 'ip:a')).toBe(5);
    // Both agree on when the window ends: the first consumption opened it.
    expect(Math.abs(one.peek('ip:a')!.msLeft - two.peek('ip:a')!.msLeft)).toBeLessThan(100);
  });

  it('tells an instance that starts late the counts of the window under way', async () => {
    bus = createInProcessBus();
    const one = await instance();
    const wire = await bus.subscribe(SUBJECT);
    one.consume('tenant:t', 7, MINUTE);
    // Wait until the count went out: the newcomer can then only learn it by asking.
    for await (const message of wire) if ((message as CounterSyncMessage).counts) break;
    const late = await instance();
    await expect.poll(() => totalOf(late, 'tenant:t')).toBe(7);
  });

  it('ignores repeated, reordered and expired reports', async () => {
    bus = createInProcessBus();
    let now = 1_000_000;
    const one = await instance({ now: () => now });
    const send = (message: CounterSyncMessage) => bus.publish(SUBJECT, message);
    await send({ from: 'peer', counts: [['ip:b', now + MINUTE, 4]] });
    await send({ from: 'peer', counts: [['ip:b', now + MINUTE, 4]] });
    await send({ from: 'peer', counts: [['ip:b', now + MINUTE, 2]] }); // an older report arriving late
    await send({ from: 'peer', counts: [['ip:c', now - 1, 9]] }); // a window that has ended
    await send({ from: 'other', counts: [['ip:b', now + MINUTE, 1]] });
    await expect.poll(() => totalOf(one, 'ip:b')).toBe(5);
    expect(one.peek('ip:c')).toBeUndefined();
    now += MINUTE;
    expect(one.peek('ip:b')).toBeUndefined();
    expect(one.consume('ip:b', 1, MINUTE).total).toBe(1); // a new window starts from zero
  });

  it('converges on the earlier end when two instances opened a window at the same time', async () => {
    bus = createInProcessBus();
    let now = 5_000_000;
    const one = await instance({ now: () => now });
    const two = await instance({ now: () => now + 30 }); // opens its window 30 ms later
    one.consume('api-key:k', 1, MINUTE);
    two.consume('api-key:k', 1, MINUTE);
    await expect.poll(() => [totalOf(one, 'api-key:k'), totalOf(two, 'api-key:k')]).toEqual([2, 2]);
    expect(two.peek('api-key:k')!.msLeft).toBe(MINUTE - 30);
    now += MINUTE - 31;
    expect(totalOf(two, 'api-key:k')).toBe(2);
    now += 1;
    expect(two.peek('api-key:k')).toBeUndefined(); // ended with one's window, not 30 ms later
  });

  it('counts alone without a bus', () => {
    const counters = new SharedCounters({ subject: SUBJECT });
    opened.push(counters);
    expect(counters.consume('ip:d', 2, MINUTE).total).toBe(2);
    expect(counters.consume('ip:d', 2, MINUTE).total).toBe(4);
  });
});

import type { EntityManager } from '@mikro-orm/postgresql';
import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessBus, type MessageBus } from '../../core/bus/index.ts';
import { WebhookRoutes } from './webhook-routes.ts';

const SUBJECT = 'cluster.test.webhook-routes';
let bus: MessageBus;
const instances: WebhookRoutes[] = [];

afterEach(async () => {
  for (const routes of instances.splice(0)) routes.close();
  await bus?.close();
});

async function instance(options: { ttlMs?: number } = {}) {
  const routes = new WebhookRoutes({ bus, subject: SUBJECT, ...options });
  instances.push(routes);
  await routes.start();
  return routes;
}

/** A tenant transaction whose endpoint table answers `types` per tenant, counting the reads. */
function database(types: Record<string, string[][]>) {
  const reads = { count: 0 };
  const tx = {
    execute: async (_sql: string, [tenantId]: [string]) => {
      reads.count++;
      return (types[tenantId] ?? []).map((eventTypes) => ({ event_types: eventTypes }));
    },
  } as unknown as EntityManager;
  return { reads, tx };
}

describe('webhook routes', () => {
  it('answer from memory after one read per tenant, for every event type', async () => {
    bus = createInProcessBus();
    const routes = await instance();
    const { reads, tx } = database({ t1: [['lead.captured'], ['reply.completed', 'lead.captured']], t2: [] });
    expect(await routes.mayDeliver(tx, 't1', 'reply.completed')).toBe(true);
    expect(await routes.mayDeliver(tx, 't1', 'message.created')).toBe(false);
    expect(await routes.mayDeliver(tx, 't2', 'message.created')).toBe(false);
    expect(await routes.mayDeliver(tx, 't2', 'message.created')).toBe(false);
    expect(reads.count).toBe(2);
  });

  it('read again after a change announced on any instance, and only for that tenant', async () => {
    bus = createInProcessBus();
    const here = await instance();
    const there = await instance();
    const endpoints: Record<string, string[][]> = { t1: [], t2: [] };
    const { reads, tx } = database(endpoints);
    expect(await here.mayDeliver(tx, 't1', 'message.created')).toBe(false);
    expect(await here.mayDeliver(tx, 't2', 'message.created')).toBe(false);

    endpoints['t1'] = [['message.created']];
    await there.announce('t1');
    await expect.poll(() => here.mayDeliver(tx, 't1', 'message.created'), { timeout: 1_000, interval: 5 }).toBe(true);
    expect(await here.mayDeliver(tx, 't2', 'message.created')).toBe(false);
    expect(reads.count).toBe(3);
  });

  it('expire after the TTL even when an announcement is lost', async () => {
    bus = createInProcessBus();
    const routes = await instance({ ttlMs: 30 });
    const endpoints: Record<string, string[][]> = { t1: [] };
    const { tx } = database(endpoints);
    expect(await routes.mayDeliver(tx, 't1', 'lead.captured')).toBe(false);
    endpoints['t1'] = [['lead.captured']];
    await expect.poll(() => routes.mayDeliver(tx, 't1', 'lead.captured'), { timeout: 1_000, interval: 10 }).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';
import { DeferredCounters } from './deferred-counters.ts';
import { inTenant } from './tenant-scope.ts';

let server: TestServer;
let bot: TenantFixture;
let counters: DeferredCounters;

beforeAll(async () => {
  server = await startTestServer();
  bot = await publishedBot(server.graphqlUrl);
  // Its own instance with a timer that never fires during the test: the test decides when to flush.
  counters = new DeferredCounters(server.orm, server.logger, 3_600_000);
});
afterAll(async () => {
  await counters?.close();
  await server?.stop();
});

const day = '2031-01-02';
const usageRow = (cost: number) => ({
  table: 'ai_usage_daily',
  key: { tenant_id: bot.tenantId, bot_id: bot.botId, day },
  add: { replies: 1, cost_micro_usd: cost },
});
const storedUsage = async () =>
  ownerQuery<{ replies: number; cost: string }>(server.databaseUrl, 'select replies, cost_micro_usd as cost from ai_usage_daily where bot_id = $1 and day = $2', [bot.botId, day]);

describe('deferred counters', () => {
  it('count a committed transaction once, at the next flush, summed into one row; a rolled-back one never', async () => {
    await inTenant(server.orm.em.fork(), bot.tenantId, async (tx) => {
      counters.add(tx, usageRow(100));
      counters.add(tx, usageRow(20));
    });
    await inTenant(server.orm.em.fork(), bot.tenantId, async (tx) => counters.add(tx, usageRow(3)));
    await expect(
      inTenant(server.orm.em.fork(), bot.tenantId, async (tx) => {
        counters.add(tx, usageRow(1_000_000));
        throw new Error('the message could not be stored');
      }),
    ).rejects.toThrow('could not be stored');

    // Counted in memory, not written yet: this process's readers (the AI budget check) see it already.
    expect(await storedUsage()).toEqual([]);
    expect(counters.unwritten('ai_usage_daily', { tenant_id: bot.tenantId, bot_id: bot.botId, day }, 'cost_micro_usd')).toBe(123);

    await counters.flush();
    expect(await storedUsage()).toEqual([{ replies: 3, cost: '123' }]);
    expect(counters.unwritten('ai_usage_daily', { tenant_id: bot.tenantId, bot_id: bot.botId, day }, 'cost_micro_usd')).toBe(0);

    // Added to the stored row, not written over it.
    await inTenant(server.orm.em.fork(), bot.tenantId, async (tx) => counters.add(tx, usageRow(7)));
    await counters.flush();
    expect(await storedUsage()).toEqual([{ replies: 4, cost: '130' }]);
  });

  it('sum array columns element by element (the time-to-first-token histogram) and tell listeners what was written', async () => {
    const flushed: string[] = [];
    counters.onFlushed((rows) => flushed.push(...rows.map((row) => `${row.table}:${row.key['day']}`)));
    const histogram = (bucket: number) => Array.from({ length: 160 }, (_, i) => (i === bucket ? 1 : 0));
    const daily = (bucket: number) => ({
      table: 'analytics_daily',
      key: { tenant_id: bot.tenantId, bot_id: bot.botId, day },
      add: { assistant_messages: 1 },
      addArrays: { ttft_histogram: histogram(bucket) },
    });
    for (const bucket of [3, 3, 10]) await inTenant(server.orm.em.fork(), bot.tenantId, async (tx) => counters.add(tx, daily(bucket)));
    await counters.flush();
    await inTenant(server.orm.em.fork(), bot.tenantId, async (tx) => counters.add(tx, daily(10)));
    await counters.flush();

    const [row] = await ownerQuery<{ assistant_messages: number; ttft_histogram: number[] }>(
      server.databaseUrl, 'select assistant_messages, ttft_histogram from analytics_daily where bot_id = $1 and day = $2', [bot.botId, day]);
    expect(row!.assistant_messages).toBe(4);
    expect(row!.ttft_histogram).toHaveLength(160);
    expect(row!.ttft_histogram[3]).toBe(2);
    expect(row!.ttft_histogram[10]).toBe(2);
    expect(row!.ttft_histogram.reduce((a, b) => a + b, 0)).toBe(4);
    expect(flushed).toEqual([`analytics_daily:${day}`, `analytics_daily:${day}`]);
  });

  it('keep what a failed write held and write it with the next flush', async () => {
    const otherDay = '2031-01-03';
    const row = { table: 'ai_usage_daily', key: { tenant_id: bot.tenantId, bot_id: bot.botId, day: otherDay }, add: { replies: 2 } };
    await inTenant(server.orm.em.fork(), bot.tenantId, async (tx) => counters.add(tx, row));
    // The database refuses the write for a while (as in an outage or a failover).
    await ownerQuery(server.databaseUrl, 'revoke insert, update on ai_usage_daily from mascot_app');
    try {
      await counters.flush();
      expect(await ownerQuery(server.databaseUrl, 'select 1 from ai_usage_daily where day = $1', [otherDay])).toEqual([]);
      expect(counters.unwritten('ai_usage_daily', row.key, 'replies')).toBe(2);
      await inTenant(server.orm.em.fork(), bot.tenantId, async (tx) => counters.add(tx, row));
    } finally {
      await ownerQuery(server.databaseUrl, 'grant insert, update on ai_usage_daily to mascot_app');
    }
    await counters.flush();
    expect(await ownerQuery(server.databaseUrl, 'select replies from ai_usage_daily where day = $1', [otherDay])).toEqual([{ replies: 4 }]);
  });
});

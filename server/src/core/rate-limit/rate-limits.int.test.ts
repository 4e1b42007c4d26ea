import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { parse } from 'graphql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOrm, startEmbeddedPostgres, type EmbeddedPostgres, type MikroORM } from '../db/index.ts';
import { createLogger } from '../logging/index.ts';
import { APP_ROLE, migrations } from '../../migrations/index.ts';
import { Migration20261122040000RateLimits } from '../../migrations/Migration20261122040000RateLimits.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { createTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { subjects } from '@mascot/events';
import { connectNatsBus, createInProcessBus, type MessageBus } from '../bus/index.ts';
import {
  createRateLimits,
  operationCost,
  retryAfterSeconds,
  type RateLimitConfig,
  type RateLimits,
  type RequestToLimit,
} from './index.ts';

// The database the server would have: embedded in-memory PGlite, or a fresh PostgreSQL database when
// DATABASE_URL is set, migrated by connectOrm, whose pool runs as the app role; and the bus: two NATS
// connections when NATS_URL is set, one in-process bus otherwise. Two limiter instances on two pools
// and two bus connections stand for two server instances. No whole server: these need only those.
const testEnv = process.env;
const syncSubject = subjects.clusterRateLimits(`r${randomUUID().slice(0, 8)}`);
const buses: MessageBus[] = [];

/** The table under test as the app role reads it (connectOrm also needs at least one entity). */
const RateLimitRow = defineEntity({
  name: 'RateLimitRow',
  tableName: 'rate_limit',
  properties: { key: p.string().primary(), points: p.integer(), expire: p.bigint().nullable() },
});

let database: TestDatabase;
let embedded: EmbeddedPostgres | undefined;
let databaseUrl: string;
let orm: MikroORM;
let secondPool: pg.Pool;
const opened: RateLimits[] = [];

beforeAll(async () => {
  database = await createTestDatabase(testEnv['DATABASE_URL'] || undefined);
  if (!database.url) embedded = await startEmbeddedPostgres({});
  databaseUrl = database.url ?? embedded!.url;
  // Until the migration is listed in migrations/index.ts, append it here.
  const listed = (migrations as readonly unknown[]).includes(Migration20261122040000RateLimits);
  orm = await connectOrm({
    url: databaseUrl,
    entities: [RateLimitRow],
    migrations: listed ? migrations : [...migrations, Migration20261122040000RateLimits],
    appRole: APP_ROLE,
    logger: createLogger('silent'),
  });
  // A second "instance": its own pool, logged in as the owner like the server, switching to the app role.
  secondPool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const natsUrl = testEnv['NATS_URL'];
  if (natsUrl) buses.push(await connectNatsBus(natsUrl, createLogger('silent')), await connectNatsBus(natsUrl, createLogger('silent')));
  else buses.push(createInProcessBus());
});
afterAll(async () => {
  for (const limits of opened) await limits.close();
  for (const bus of buses) await bus.close();
  await secondPool?.end();
  await orm?.close(true);
  await embedded?.stop();
  await database?.drop();
});

/** Instance one uses the server's ORM pool (how the app wires it), instance two its own pool; each its bus connection. */
async function twoInstances(config: Partial<RateLimitConfig>): Promise<[RateLimits, RateLimits]> {
  const ormPool = await orm.em.getConnection().getNativeClient();
  const shared = { appRole: APP_ROLE, config, syncSubject, syncIntervalMs: 20 };
  const one = createRateLimits({ pool: ormPool, bus: buses[0], ...shared });
  const two = createRateLimits({ pool: secondPool, bus: buses.at(-1), ...shared });
  opened.push(one, two);
  await Promise.all([one.started, two.started]);
  return [one, two];
}

/** Waits until `instance` has heard of what was spent elsewhere: `remaining` left in the tightest budget. */
async function heard(instance: RateLimits, request: RequestToLimit, remaining: number) {
  await expect.poll(() => instance.requestStatus(request).remaining, { timeout: 2_000 }).toBe(remaining);
}

let ipCounter = 0;
/** A client address no other test uses (the database is shared by the whole file). */
const freshIp = () => `203.0.113.${++ipCounter}`;

async function rateLimitError(promise: Promise<unknown>) {
  const error = await promise.then(
    () => expect.fail('expected RATE_LIMITED'),
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ code: 'RATE_LIMITED' });
  return error as { details: { retryAfter: number; limit: string } };
}

describe('request rate limits shared between instances', () => {
  it('share their counts between server instances, without writing to the database', async () => {
    const [one, two] = await twoInstances({ perIp: { points: 5, durationS: 60 } });
    const ip = freshIp();
    for (let i = 0; i < 3; i++) await one.consumeRequest({ ip });
    await heard(two, { ip }, 2);
    await expect(two.consumeRequest({ ip, points: 2 })).resolves.toMatchObject({ limit: 'ip', remaining: 0 });
    await heard(one, { ip }, 0);
    expect((await rateLimitError(one.consumeRequest({ ip }))).details.limit).toBe('ip');
    await rateLimitError(two.consumeRequest({ ip }));
    // Requests cost no database round trip: the table only holds sign-in budgets.
    expect(await orm.em.fork().count(RateLimitRow, { key: `ip:${ip}` })).toBe(0);
  });

  it('hold a limit across instances that take turns, and let a burst past it by at most one limit per instance', async () => {
    const [one, two] = await twoInstances({ perTenant: { points: 20, durationS: 60 } });
    // Turns slower than the sync: exact.
    const tenantId = randomUUID();
    const admitted: boolean[] = [];
    for (let i = 0; i < 30; i++) {
      const instance = i % 2 ? one : two;
      admitted.push(await instance.consumeRequest({ ip: freshIp(), tenantId }).then(() => true, () => false));
      await heard(i % 2 ? two : one, { ip: freshIp(), tenantId }, Math.max(0, 20 - (i + 1)));
    }
    expect(admitted.filter(Boolean)).toHaveLength(20);

    // A burst within one sync interval: each instance admits at most the limit from its own view
    // (README "Overshoot"); once counts arrived, both refuse.
    const burst = randomUUID();
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? one : two).consumeRequest({ ip: freshIp(), tenantId: burst })),
    );
    const burstAdmitted = results.filter((r) => r.status === 'fulfilled').length;
    expect(burstAdmitted).toBeGreaterThanOrEqual(20);
    expect(burstAdmitted).toBeLessThanOrEqual(40);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'tenant' } });
    await heard(one, { ip: freshIp(), tenantId: burst }, 0);
    await heard(two, { ip: freshIp(), tenantId: burst }, 0);
    await rateLimitError(one.consumeRequest({ ip: freshIp(), tenantId: burst }));
    await rateLimitError(two.consumeRequest({ ip: freshIp(), tenantId: burst }));
  });

  it('tell how long to wait: positive whole seconds within the window', async () => {
    const [one] = await twoInstances({ perIp: { points: 2, durationS: 30 } });
    const ip = freshIp();
    await expect(one.consumeRequest({ ip })).resolves.toMatchObject({ remaining: 1, resetAfterS: 30 });
    await one.consumeRequest({ ip });
    const error = await rateLimitError(one.consumeRequest({ ip }));
    expect(error.details.retryAfter).toBeGreaterThanOrEqual(28);
    expect(error.details.retryAfter).toBeLessThanOrEqual(30);
    expect(retryAfterSeconds(error)).toBe(error.details.retryAfter);
  });

  it('admit requests again once the window has passed', async () => {
    const [one, two] = await twoInstances({ perApiKey: { points: 1, durationS: 1 } });
    const apiKeyId = randomUUID();
    await one.consumeRequest({ ip: freshIp(), apiKeyId });
    await heard(two, { ip: freshIp(), apiKeyId }, 0);
    expect((await rateLimitError(two.consumeRequest({ ip: freshIp(), apiKeyId }))).details).toEqual({ retryAfter: 1, limit: 'apiKey' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await expect(two.consumeRequest({ ip: freshIp(), apiKeyId })).resolves.toMatchObject({ limit: 'apiKey', remaining: 0 });
  });

  it('charge aliased fields individually', async () => {
    const [one] = await twoInstances({ perIp: { points: 10, durationS: 60 } });
    const ip = freshIp();
    const aliases = Array.from({ length: 10 }, (_, i) => `a${i}: me { id }`).join(' ');
    const points = operationCost(parse(`query Me { ${aliases} }`), 'Me');
    expect(points).toBe(10);
    await expect(one.consumeRequest({ ip, points })).resolves.toMatchObject({ remaining: 0 });
    await rateLimitError(one.consumeRequest({ ip, points: operationCost(parse('{ me { id } }')) }));
  });

  it("keep budgets apart: one tenant's, key's or address's usage does not limit another", async () => {
    const [one] = await twoInstances({
      perIp: { points: 3, durationS: 60 },
      perApiKey: { points: 3, durationS: 60 },
      perTenant: { points: 3, durationS: 60 },
    });
    const [tenantA, tenantB, keyA, keyB] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await one.consumeRequest({ ip: freshIp(), tenantId: tenantA, points: 3 });
    await rateLimitError(one.consumeRequest({ ip: freshIp(), tenantId: tenantA }));
    await expect(one.consumeRequest({ ip: freshIp(), tenantId: tenantB, points: 3 })).resolves.toMatchObject({ remaining: 0 });

    await one.consumeRequest({ ip: freshIp(), apiKeyId: keyA, points: 3 });
    expect((await rateLimitError(one.consumeRequest({ ip: freshIp(), apiKeyId: keyA }))).details.limit).toBe('apiKey');
    await one.consumeRequest({ ip: freshIp(), apiKeyId: keyB });

    const ip = freshIp();
    await one.consumeRequest({ ip, points: 3 });
    await rateLimitError(one.consumeRequest({ ip }));
    await one.consumeRequest({ ip: freshIp() });
  });

  it("count requests with an API key by the key instead of the address: a partner's one address does not cap it", async () => {
    const [one] = await twoInstances({ perIp: { points: 2, durationS: 60 }, perApiKey: { points: 4, durationS: 60 } });
    const [ip, apiKeyId] = [freshIp(), randomUUID()];
    for (let i = 0; i < 4; i++) await one.consumeRequest({ ip, apiKeyId });
    expect((await rateLimitError(one.consumeRequest({ ip, apiKeyId }))).details.limit).toBe('apiKey');
    await expect(one.consumeRequest({ ip })).resolves.toMatchObject({ limit: 'ip', remaining: 1 });
    expect(one.requestStatus({ ip, apiKeyId }).budgets).toEqual([{ limit: 'apiKey', quota: 4, windowS: 60, remaining: 0, resetAfterS: 60 }]);
  });

  it('count IPv6 clients per /64 and IPv4-mapped addresses as the IPv4 client', async () => {
    const [one, two] = await twoInstances({ perIp: { points: 2, durationS: 60 } });
    await one.consumeRequest({ ip: '2001:db8:aa:1::1' });
    await heard(two, { ip: '2001:db8:aa:1::9' }, 1);
    await two.consumeRequest({ ip: '2001:db8:aa:1:ffff::2' });
    await heard(one, { ip: '2001:db8:aa:1::3' }, 0);
    await rateLimitError(one.consumeRequest({ ip: '2001:db8:aa:1::3' }));
    await one.consumeRequest({ ip: '2001:db8:aa:2::1' });

    const ip = freshIp();
    await one.consumeRequest({ ip: `::ffff:${ip}`, points: 2 });
    await heard(two, { ip }, 0);
    await rateLimitError(two.consumeRequest({ ip }));
  });

  it('run sign-in limits as the app role even on connections the ORM never prepared', async () => {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    try {
      const limits = createRateLimits({ pool, appRole: APP_ROLE });
      opened.push(limits);
      await limits.loginAttempt({ email: `role-${randomUUID()}@example.com`, ip: freshIp() });
      const { rows } = await pool.query<{ user: string }>('select current_user as user');
      expect(rows[0]!.user).toBe(APP_ROLE);
    } finally {
      await pool.end();
    }
  });

  it('delete rows expired more than an hour ago', async () => {
    const stale = `ip:stale-${randomUUID()}`;
    await ownerQuery(databaseUrl, 'insert into rate_limit values ($1, 1, $2)', [stale, Date.now() - 2 * 60 * 60 * 1000]);
    const limits = createRateLimits({ pool: secondPool, appRole: APP_ROLE, cleanupIntervalMs: 50 });
    opened.push(limits);
    await expect
      .poll(async () => (await ownerQuery(databaseUrl, 'select 1 from rate_limit where key = $1', [stale])).length, { timeout: 10_000 })
      .toBe(0);
  });
});

describe('sign-in throttling', () => {
  const login = { points: 3, durationS: 60, blockDurationS: 120 };

  it('blocks an account after K failed attempts, on every instance, whatever the case of the address', async () => {
    const [one, two] = await twoInstances({ loginPerAccount: login });
    const email = `Alice-${randomUUID()}@Example.com`;
    for (let i = 0; i < 3; i++) await (await (i % 2 ? one : two).loginAttempt({ email, ip: freshIp() })).recordFailure();
    const error = await rateLimitError(one.loginAttempt({ email: email.toLowerCase(), ip: freshIp() }));
    expect(error.details.limit).toBe('loginAccount');
    expect(error.details.retryAfter).toBeGreaterThanOrEqual(118);
    expect(error.details.retryAfter).toBeLessThanOrEqual(120);
    // Still blocked for the block duration, also with the right password and from the other instance.
    expect((await rateLimitError(two.loginAttempt({ email, ip: freshIp() }))).details.retryAfter).toBeGreaterThan(60);
    // Another account is not affected.
    await one.loginAttempt({ email: `bob-${randomUUID()}@example.com`, ip: freshIp() });
  });

  it('counts an attempt nobody recorded as a failure', async () => {
    const [one] = await twoInstances({ loginPerAccount: login });
    const email = `crash-${randomUUID()}@example.com`;
    for (let i = 0; i < 3; i++) await one.loginAttempt({ email, ip: freshIp() });
    await rateLimitError(one.loginAttempt({ email, ip: freshIp() }));
  });

  it('resets the account after a successful sign-in', async () => {
    const [one, two] = await twoInstances({ loginPerAccount: login });
    const email = `carol-${randomUUID()}@example.com`;
    for (let i = 0; i < 2; i++) await (await one.loginAttempt({ email, ip: freshIp() })).recordFailure();
    await (await two.loginAttempt({ email, ip: freshIp() })).recordSuccess();
    for (let i = 0; i < 3; i++) await (await one.loginAttempt({ email, ip: freshIp() })).recordFailure();
    await rateLimitError(two.loginAttempt({ email, ip: freshIp() }));
  });

  it('admits parallel guesses only up to the limit', async () => {
    const [one, two] = await twoInstances({ loginPerAccount: login });
    const email = `dave-${randomUUID()}@example.com`;
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? one : two).loginAttempt({ email, ip: freshIp() })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
  });

  it('limits failures per address across accounts, and successes do not count', async () => {
    const [one] = await twoInstances({ loginPerIp: { points: 4, durationS: 60, blockDurationS: 300 } });
    const ip = freshIp();
    for (let i = 0; i < 3; i++) await (await one.loginAttempt({ email: `user${i}-${randomUUID()}@example.com`, ip })).recordSuccess();
    for (let i = 0; i < 4; i++) await (await one.loginAttempt({ email: `guess${i}-${randomUUID()}@example.com`, ip })).recordFailure();
    const error = await rateLimitError(one.loginAttempt({ email: `next-${randomUUID()}@example.com`, ip }));
    expect(error.details).toMatchObject({ limit: 'loginIp', retryAfter: 300 });
    await one.loginAttempt({ email: `next-${randomUUID()}@example.com`, ip: freshIp() });
  });
});

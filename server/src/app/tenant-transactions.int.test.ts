import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entities } from './entities.ts';
import { APP_ROLE, migrations } from '../migrations/index.ts';
import { publishedBot, type TenantFixture } from '../test/fixtures.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';
import { createLogger } from '../core/logging/index.ts';
import { connectOrm, type MikroORM } from '../core/db/orm.ts';
import { inTenant } from '../core/db/tenant-scope.ts';

let server: TestServer;
let bot: TenantFixture;
let orm: MikroORM;
let owner: string;

beforeAll(async () => {
  server = await startTestServer();
  bot = await publishedBot(server.graphqlUrl);
  // One connection, so every statement below runs on the same backend and anything left behind would show.
  orm = await connectOrm({ url: server.databaseUrl, entities, migrations, appRole: APP_ROLE, logger: createLogger('silent'), poolSize: 1 });
  owner = (await orm.em.fork().execute<{ owner: string }[]>('select session_user as owner'))[0]!.owner;
});
afterAll(async () => {
  await orm?.close(true);
  await server?.stop();
});

const whoAmI = `select current_user as "user", current_setting('mascot.tenant_id', true) as tenant, (select count(*)::int from bot) as bots`;

describe('tenant transactions (core/db/transaction-scope.ts)', () => {
  it('open with role and tenant in the same message: one round trip before the first statement', async () => {
    const queries: string[] = [];
    const realQuery = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      queries.push(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text));
      return (realQuery as (...a: unknown[]) => never).apply(this, args);
    } as typeof realQuery;
    try {
      const [row] = await inTenant(orm.em.fork(), bot.tenantId, (tx) => tx.execute(whoAmI));
      expect(row).toEqual({ user: APP_ROLE, tenant: bot.tenantId, bots: 1 });
    } finally {
      pg.Client.prototype.query = realQuery;
    }
    // (A connection the pool opens on the way runs orm.ts' `set role` once; that is not part of the transaction.)
    const transaction = queries.filter((sql) => sql !== `set role ${APP_ROLE}`);
    expect(transaction).toHaveLength(3); // the opening (role + tenant), the statement, commit
    expect(transaction[0]).toMatch(/^begin; set local role mascot_app; select set_config\('mascot\.tenant_id', '[0-9a-f-]{36}', true\)$/);
    expect(transaction[2]).toBe('commit');
  });

  it('set role and tenant for the transaction only, so a pooler that lends the connection to others (PgBouncer, transaction mode) keeps them apart', async () => {
    const em = orm.em.fork();
    // As a pooler would hand it over: a server connection that never ran this client's `set role`.
    await em.execute('reset role');
    expect(await em.execute(whoAmI)).toEqual([{ user: owner, tenant: '', bots: expect.any(Number) }]);
    expect(await inTenant(em, bot.tenantId, (tx) => tx.execute(whoAmI))).toEqual([{ user: APP_ROLE, tenant: bot.tenantId, bots: 1 }]);
    // Nothing outlives the transaction on the connection.
    expect(await em.execute(whoAmI)).toMatchObject([{ user: owner, tenant: '' }]);
    await em.execute(`set role ${APP_ROLE}`);
  });

  it('a nested tenant scope (a savepoint, no new opening) still sets its tenant', async () => {
    const other = await publishedBot(server.graphqlUrl);
    const rows = await inTenant(orm.em.fork(), bot.tenantId, (tx) => inTenant(tx, other.tenantId, (inner) => inner.execute(whoAmI)));
    expect(rows).toEqual([{ user: APP_ROLE, tenant: other.tenantId, bots: 1 }]);
  });
});

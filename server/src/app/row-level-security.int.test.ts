import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../core/db/index.ts';
import { APP_ROLE, TENANT_TABLES } from '../migrations/index.ts';
import { Bot } from '../modules/bots/index.ts';
import { publishedBot, type TenantFixture } from '../test/fixtures.ts';
import { ownerQuery } from '../test/owner-database.ts';
import { graphqlOk, recordSubscription, wsClient } from '../test/graphql-test-client.ts';
import { CONVERSATION_EVENTS, SEND_MESSAGE, START_CONVERSATION } from '../test/operations.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';

let server: TestServer;
let a: TenantFixture;
let b: TenantFixture;

beforeAll(async () => {
  server = await startTestServer();
  a = await publishedBot(server.graphqlUrl, '# A\nTenant A sells apples for 3 dollars.');
  b = await publishedBot(server.graphqlUrl, '# B\nTenant B sells bananas for 5 dollars.');
});
afterAll(() => server?.stop());

describe('row-level security', () => {
  it('is enabled and forced on every table that has a tenant_id column, and on tenant itself', async () => {
    const tables = await ownerQuery<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      server.databaseUrl,
      `select c.relname, c.relrowsecurity, c.relforcerowsecurity
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r'
          and (c.relname = 'tenant' or exists (
            select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped))`,
    );
    expect(tables.map((t) => t.relname).sort()).toEqual([...TENANT_TABLES, 'tenant'].sort());
    for (const table of tables) expect(table, table.relname).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
  });

  it('runs the server as a role that owns no table and cannot bypass row-level security', async () => {
    const [role] = await server.orm.em.fork().execute<{ name: string; super: boolean; bypass: boolean; owned: number }[]>(
      `select current_user as name, r.rolsuper as super, r.rolbypassrls as bypass,
              (select count(*)::int from pg_tables where tableowner = current_user) as owned
         from pg_roles r where r.rolname = current_user`,
    );
    expect(role).toEqual({ name: APP_ROLE, super: false, bypass: false, owned: 0 });
  });

  it('shows nothing when no tenant is set, although the rows exist', async () => {
    const [owner] = await ownerQuery<{ n: number }>(server.databaseUrl, 'select count(*)::int as n from bot');
    expect(owner!.n).toBeGreaterThanOrEqual(2);
    const em = server.orm.em.fork();
    for (const table of [...TENANT_TABLES, 'tenant']) {
      const [row] = await em.execute<{ n: number }[]>(`select count(*)::int as n from ${table}`);
      expect(row!.n, table).toBe(0);
    }
  });

  it('refuses to write a row into another tenant even when the SQL names it', async () => {
    await expect(
      inTenant(server.orm.em.fork(), a.tenantId, (tx) =>
        tx.execute(`update bot set name = 'hijacked' where id = ?`, [b.botId], 'run'),
      ),
    ).resolves.toMatchObject({ affectedRows: 0 });
    await expect(
      inTenant(server.orm.em.fork(), a.tenantId, (tx) =>
        tx.execute(
          `insert into bot (id, tenant_id, name, embed_id, draft) values (gen_random_uuid(), ?, 'intruder', 'bot_intruder123', '{}')`,
          [b.tenantId],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    const [row] = await ownerQuery<{ name: string }>(server.databaseUrl, 'select name from bot where id = $1', [b.botId]);
    expect(row!.name).toBe('Pip');
  });

  it('never mixes tenants across pooled connections under interleaved load', async () => {
    const read = (tenantId: string) =>
      inTenant(server.orm.em.fork(), tenantId, async (tx) => {
        const bots = await tx.find(Bot, {});
        const raw = await tx.execute<{ tenant_id: string }[]>('select tenant_id from knowledge_chunk');
        return [...bots.map((bot) => bot.tenantId), ...raw.map((r) => r.tenant_id)];
      });
    const jobs = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? a : b));
    const results = await Promise.all(jobs.map(async (tenant) => ({ tenant, seen: await read(tenant.tenantId) })));
    for (const { tenant, seen } of results) {
      expect(seen.length).toBeGreaterThan(0);
      expect(new Set(seen)).toEqual(new Set([tenant.tenantId]));
    }
  });

  it('keeps interleaved graphql-ws subscriptions of two tenants apart', async () => {
    const visitors = await Promise.all(
      [a, b, a, b, a, b].map(async (tenant) => {
        const { startConversation: session } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: tenant.embedId });
        const client = wsClient(server.websocketUrl, session.visitorToken);
        const events = recordSubscription(client, CONVERSATION_EVENTS, { conversationId: session.conversationId });
        await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
        return { tenant, session, client, events };
      }),
    );
    await Promise.all(
      visitors.map((v) =>
        graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: v.session.conversationId, text: 'What do you sell and for how much?' }, v.session.visitorToken),
      ),
    );
    for (const v of visitors) {
      const done = await v.events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
      const message = done.conversationEvents.message;
      expect(message.id).toBeTruthy();
      const text = v.events.events.map((e) => JSON.stringify(e)).join('');
      expect(text).toMatch(v.tenant === a ? /apples/ : /bananas/);
      expect(text).not.toMatch(v.tenant === a ? /bananas/ : /apples/);
      const started = v.events.events.filter((e) => e.conversationEvents.__typename === 'ReplyStarted');
      expect(started).toHaveLength(1);
      await v.client.dispose();
    }
  });
});

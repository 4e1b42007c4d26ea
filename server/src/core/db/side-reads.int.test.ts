import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { START_CONVERSATION } from '../../test/operations.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';
import { APP_ROLE } from '../../migrations/Migration20261122010000RowLevelSecurity.ts';
import { inlineUuid, SideReads } from './side-reads.ts';

let server: TestServer;
let mine: TenantFixture & { conversationId: string };
let theirs: TenantFixture & { conversationId: string };
let side: SideReads;

const withConversation = async (bot: TenantFixture) => ({
  ...bot,
  conversationId: (await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId })).startConversation.conversationId as string,
});

beforeAll(async () => {
  server = await startTestServer();
  mine = await withConversation(await publishedBot(server.graphqlUrl));
  theirs = await withConversation(await publishedBot(server.graphqlUrl));
  // One connection: every call below runs on the same backend, so anything left behind would show.
  side = new SideReads({ url: server.databaseUrl, appRole: APP_ROLE, size: 1 });
});
afterAll(async () => {
  await side?.close();
  await server?.stop();
});

const bump = (conversationId: string) =>
  `update conversation set last_event_seq = last_event_seq + 5 where id = ${inlineUuid(conversationId)} returning last_event_seq as last`;
const seqOf = async (conversationId: string) =>
  (await ownerQuery<{ last: number }>(server.databaseUrl, 'select last_event_seq as last from conversation where id = $1', [conversationId]))[0]!.last;

describe('a write in one round trip (the hot path seq lease)', () => {
  it("writes as the application role within the tenant's rows only, and leaves the connection as it found it", async () => {
    const before = await seqOf(mine.conversationId);
    expect(await side.writeInOneTrip<{ last: number }>(mine.tenantId, bump(mine.conversationId))).toEqual([{ last: before + 5 }]);
    expect(await seqOf(mine.conversationId)).toBe(before + 5);

    // Row-level security: another tenant's conversation is not there for this tenant.
    const theirsBefore = await seqOf(theirs.conversationId);
    expect(await side.writeInOneTrip(mine.tenantId, bump(theirs.conversationId))).toEqual([]);
    expect(await seqOf(theirs.conversationId)).toBe(theirsBefore);

    // Role and tenant lasted only for that implicit transaction (same single connection).
    const [after] = await side.query<{ role: string; tenant: string }>(
      theirs.tenantId, "select current_user as role, current_setting('mascot.tenant_id', true) as tenant", []);
    expect(after).toEqual({ role: APP_ROLE, tenant: theirs.tenantId });
  });

  it('rolls the whole statement back on an error and keeps the connection usable', async () => {
    const before = await seqOf(mine.conversationId);
    await expect(side.writeInOneTrip(mine.tenantId, `${bump(mine.conversationId)}; select 1 / 0`)).rejects.toThrow(/division by zero/);
    expect(await seqOf(mine.conversationId)).toBe(before);
    expect(await side.writeInOneTrip<{ last: number }>(mine.tenantId, bump(mine.conversationId))).toEqual([{ last: before + 5 }]);
  });

  it('inlines only UUIDs', async () => {
    expect(inlineUuid(mine.conversationId)).toBe(`'${mine.conversationId}'::uuid`);
    expect(() => inlineUuid("x'; drop table conversation; --")).toThrow('Invalid id');
    await expect(side.writeInOneTrip("x'; --", 'select 1')).rejects.toThrow('Invalid id');
  });
});

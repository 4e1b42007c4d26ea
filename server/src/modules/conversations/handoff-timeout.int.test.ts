import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { publishedBot } from '../../test/fixtures.ts';
import { graphqlOk, recordSubscription, wsClient } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { START_CONVERSATION } from '../../test/operations.ts';
import { clusterServicesAvailable } from '../../test/test-cluster.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

/*
 * A wait's timeout survives a restart (handoff-timeout.ts): a wait whose job was lost with the process
 * that scheduled it is scheduled again by the next instance that starts, and ends on time.
 */

const EVENTS = /* GraphQL */ `
  subscription Events($conversationId: ID!) {
    conversationEvents(conversationId: $conversationId) {
      __typename
      ... on ConversationSubscribed { seq }
      ... on HandoffStatusChanged { seq status }
      ... on HandoffUnavailable { seq cause }
    }
  }`;

const servers: TestServer[] = [];
const sockets: { dispose(): unknown }[] = [];

afterAll(async () => {
  for (const socket of sockets) await socket.dispose();
  // The later server uses the first one's database, which the first drops: it goes first.
  for (const server of servers.reverse()) await server.stop();
});

describe.skipIf(!clusterServicesAvailable)('handoff timeouts across restarts', () => {
  it('ends a wait whose job was lost once another instance starts', async () => {
    const namespace = { MASCOT_JOBS_NAMESPACE: `h${randomBytes(6).toString('hex')}` };
    const first = await startTestServer(namespace);
    servers.push(first);
    const bot = await publishedBot(first.graphqlUrl);
    const { startConversation } = await graphqlOk(first.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
    const conversationId: string = startConversation.conversationId;
    const client = wsClient(first.websocketUrl, startConversation.visitorToken);
    sockets.push(client);
    const events = recordSubscription<{ conversationEvents: { __typename: string; status?: string; cause?: string } }>(client, EVENTS, { conversationId });
    await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');

    // A wait that started a minute ago and whose job never ran (its instance died before scheduling it).
    await ownerQuery(first.databaseUrl, `insert into handoff_settings (tenant_id, wait_timeout_seconds) values ($1, 30)`, [bot.tenantId]);
    await ownerQuery(
      first.databaseUrl,
      `update conversation set status = 'WAITING_FOR_AGENT', handoff_reason = 'VISITOR_REQUEST', handoff_requested_at = now() - interval '1 minute' where id = $1`,
      [conversationId],
    );

    // Another instance of the same installation starts: it schedules the running waits, and this one is due.
    servers.push(await startTestServer({ ...namespace, DATABASE_URL: first.databaseUrl }));
    const timedOut = await events.waitFor((e) => e.conversationEvents.__typename === 'HandoffUnavailable', 30_000);
    expect(timedOut.conversationEvents.cause).toBe('TIMED_OUT');
    expect(events.events.map((e) => e.conversationEvents.status).filter(Boolean)).toEqual(['BOT']);
    const [row] = await ownerQuery(first.databaseUrl, 'select status, handoff_requested_at from conversation where id = $1', [conversationId]);
    expect(row).toEqual({ status: 'BOT', handoff_requested_at: null });
  });
});

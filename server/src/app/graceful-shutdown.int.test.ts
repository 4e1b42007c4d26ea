import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedBot } from '../test/fixtures.ts';
import { graphqlOk, recordSubscription, wsClient } from '../test/graphql-test-client.ts';
import { CONVERSATION_EVENTS, SEND_MESSAGE, START_CONVERSATION } from '../test/operations.ts';
import { spawnServerProcess, type ServerProcess } from '../test/server-process.ts';
import { createTestDatabase, type TestDatabase } from '../test/test-database.ts';
import { TEST_JWT_SECRET } from '../test/test-server.ts';

describe('SIGTERM', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    database = await createTestDatabase(process.env['DATABASE_URL'] || undefined);
    dataDir = await mkdtemp(path.join(tmpdir(), 'mascot-shutdown-'));
    server = await spawnServerProcess({
      DATABASE_URL: database.url ?? '',
      MASCOT_DATA_DIR: dataDir,
      MASCOT_JWT_SECRET: TEST_JWT_SECRET,
      // Slow enough that the signal lands mid-reply.
      MASCOT_OFFLINE_TOKEN_DELAY_MS: '60',
    });
  });

  afterAll(async () => {
    await server?.kill('SIGKILL');
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lets the reply in flight finish and be stored, then exits cleanly', async () => {
    const bot = await publishedBot(server.graphqlUrl);
    const { startConversation: session } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
    const closeCodes: number[] = [];
    const client = wsClient(server.websocketUrl, session.visitorToken, (event) => closeCodes.push(event.code));
    const events = recordSubscription(client, CONVERSATION_EVENTS, { conversationId: session.conversationId });
    await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
    await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'How much does the Pro plan cost?' }, session.visitorToken);
    await events.waitFor((e) => e.conversationEvents.__typename === 'ReplyDelta');

    server.child.kill('SIGTERM');
    // Draining: the reply is still streaming, but the instance takes no new connections (sockets included),
    // so the load balancer's retries and reconnecting clients land on another instance.
    await server.waitForLog((line) => line['msg'] === 'waiting for in-flight replies');
    await expect(fetch(server.graphqlUrl.replace('/graphql', '/healthz'))).rejects.toThrow();
    expect(events.events.some((e) => e.conversationEvents.__typename === 'ReplyCompleted')).toBe(false);
    const completed = await events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
    expect(completed.conversationEvents.message.text).toMatch(/29 dollars/);
    const deltas = events.events.filter((e) => e.conversationEvents.__typename === 'ReplyDelta');
    expect(deltas.map((e) => e.conversationEvents.delta).join('')).toBe(completed.conversationEvents.message.text);

    expect(await server.exited).toBe(0);
    // 1001 Going Away: graphql-ws clients (the widget's too) reconnect, through the load balancer to another
    // instance, instead of giving up as they do on the 44xx codes (deploy/README.md, "Rolling deploys").
    expect(closeCodes).toEqual([1001]);
    expect(server.logs.some((l) => l['msg'] === 'waiting for in-flight replies')).toBe(true);
    await expect(fetch(server.graphqlUrl.replace('/graphql', '/healthz'))).rejects.toThrow();
    await client.dispose();
  });
});

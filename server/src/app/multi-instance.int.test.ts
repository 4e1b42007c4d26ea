import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedBot, type TenantFixture } from '../test/fixtures.ts';
import { graphqlOk, recordSubscription, wsClient } from '../test/graphql-test-client.ts';
import { CONVERSATION_EVENTS, SEND_MESSAGE, START_CONVERSATION } from '../test/operations.ts';
import { spawnServerProcess, type ServerProcess } from '../test/server-process.ts';
import { createTestDatabase, type TestDatabase } from '../test/test-database.ts';
import { TEST_JWT_SECRET } from '../test/test-server.ts';

const { DATABASE_URL, NATS_URL } = process.env;

// Two processes share state only through a real PostgreSQL and a real NATS; CI sets both.
describe.skipIf(!DATABASE_URL || !NATS_URL)('two server instances behind one NATS', () => {
  let database: TestDatabase;
  let first: ServerProcess;
  let second: ServerProcess;
  let bot: TenantFixture;

  beforeAll(async () => {
    database = await createTestDatabase(DATABASE_URL);
    const env = {
      DATABASE_URL: database.url!,
      NATS_URL: NATS_URL!,
      MASCOT_JWT_SECRET: TEST_JWT_SECRET,
      MASCOT_OFFLINE_TOKEN_DELAY_MS: '5',
      MASCOT_JOBS_NAMESPACE: `m${Date.now()}`,
    };
    // One after the other: both would otherwise race to apply the migrations.
    first = await spawnServerProcess(env);
    second = await spawnServerProcess(env);
    bot = await publishedBot(first.graphqlUrl);
  });

  afterAll(async () => {
    await Promise.all([first?.kill(), second?.kill()]);
    await database?.drop();
  });

  it('delivers a reply produced on instance 2 to the visitor subscribed on instance 1', async () => {
    const { startConversation: session } = await graphqlOk(first.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
    const client = wsClient(first.websocketUrl, session.visitorToken);
    const events = recordSubscription(client, CONVERSATION_EVENTS, { conversationId: session.conversationId });
    await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');

    await graphqlOk(second.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'How much is the Pro plan?' }, session.visitorToken);
    const completed = await events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
    const reply = completed.conversationEvents.message;
    const deltas = events.events.filter((e) => e.conversationEvents.__typename === 'ReplyDelta').map((e) => e.conversationEvents.delta);

    expect(reply.text).toMatch(/29 dollars/);
    expect(deltas.join('')).toBe(reply.text);
    expect(reply.sources[0].documentTitle).toBe('Price list');
    // Instance 2 produced it; instance 1 only forwarded what NATS brought.
    const completedThis = (l: Record<string, unknown>) => l['msg'] === 'reply completed' && l['conversationId'] === session.conversationId;
    // Instance 2 logs after it publishes, so its line may trail the event instance 1 already forwarded.
    await second.waitForLog(completedThis);
    expect(first.logs.some(completedThis)).toBe(false);
    await client.dispose();
  });

  it('lets either instance serve either half of the conversation', async () => {
    const { startConversation: session } = await graphqlOk(second.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
    const client = wsClient(second.websocketUrl, session.visitorToken);
    const events = recordSubscription(client, CONVERSATION_EVENTS, { conversationId: session.conversationId });
    await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
    await graphqlOk(first.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'When is support open?' }, session.visitorToken);
    const completed = await events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
    expect(completed.conversationEvents.message.text).toMatch(/8 am to 8 pm/);
    await client.dispose();
  });
});

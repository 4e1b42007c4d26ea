import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import {
  AnalyticsCountersDocument,
  BotAnalyticsDocument,
  BotsDocument,
  ConversationEventsDocument,
  CreateWebhookEndpointDocument,
  PublishBotDocument,
  SendMessageDocument,
  StartConversationDocument,
  TopQuestionsDocument,
  createMascotClient,
  type AnalyticsCountersSubscription,
} from '@mascot/sdk';
import { PRICING_TEXT } from '../test/fixtures.ts';
import { graphqlOk, graphqlRequest } from '../test/graphql-test-client.ts';
import { ADD_KNOWLEDGE_TEXT, CREATE_API_KEY, CREATE_BOT, LOG_IN, SIGN_UP } from '../test/operations.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../test/webhook-receiver.ts';

/**
 * The partner story of issue 9, as a new user would try it: an account, an API key, the explorer,
 * live events through @mascot/sdk, verified webhooks for a visitor's conversation, and the analytics
 * that conversation produced — each step through the public API only.
 */
let server: TestServer;
let receiver: WebhookReceiver;

beforeAll(async () => {
  // The receiver listens on loopback, which only an operator's explicit exemption allows.
  server = await startTestServer({ MASCOT_WEBHOOK_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' });
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await server?.stop();
});

/** Collects a subscription's events in the background until `until` holds for one of them. */
function collectUntil<T>(events: AsyncIterable<T>, until: (event: T) => boolean): { seen: T[]; done: Promise<T> } {
  const seen: T[] = [];
  const done = (async () => {
    for await (const event of events) {
      seen.push(event);
      if (until(event)) return event;
    }
    throw new Error(`the subscription ended before the expected event; saw ${JSON.stringify(seen)}`);
  })();
  return { seen, done };
}

describe('a partner, from sign-up to analytics', () => {
  it('signs up, creates a key, explores, subscribes, receives verified webhooks and reads the analytics', async () => {
    // 1. An account with its own tenant, and signing in again as the explorer's key panel does.
    const email = `partner-${crypto.randomUUID()}@example.com`;
    const password = 'a long partner passphrase';
    await graphqlOk(server.graphqlUrl, SIGN_UP, { input: { email, password, tenantName: 'Partner Co' } });
    const { logIn } = await graphqlOk(server.graphqlUrl, LOG_IN, { input: { email, password } });
    const token = logIn.accessToken as string;
    const { createBot: bot } = await graphqlOk(server.graphqlUrl, CREATE_BOT, { input: { name: 'Pip' } }, token);
    await graphqlOk(server.graphqlUrl, ADD_KNOWLEDGE_TEXT, { botId: bot.id, input: { title: 'Price list', text: PRICING_TEXT } }, token);

    // 2. An API key for the integration, shown once.
    const { createApiKey } = await graphqlOk(
      server.graphqlUrl, CREATE_API_KEY, { input: { name: 'Partner integration', scopes: ['READ', 'WRITE', 'PUBLISH', 'ANALYTICS'] } }, token,
    );
    const apiKey = createApiKey.secret as string;
    expect(apiKey).toMatch(/^mk_/);

    // 3. The explorer: a browser at /graphql gets GraphiQL; the key may introspect the schema it shows.
    const explorer = await fetch(server.graphqlUrl, { headers: { accept: 'text/html,*/*;q=0.8' } });
    expect(explorer.status, 'the explorer is built by `npm run build`').toBe(200);
    expect(await explorer.text()).toContain('/graphql/explorer/assets/');
    const schema = await graphqlRequest(server.graphqlUrl, '{ __schema { queryType { fields { name } } } }', {}, apiKey);
    const queries = schema.data?.['__schema'].queryType.fields.map((f: { name: string }) => f.name);
    expect(queries).toEqual(expect.arrayContaining(['botAnalytics', 'topQuestions', 'webhookEndpoints']));

    // 4. The SDK with the key: publish, register a webhook receiver, subscribe to live counters.
    const partner = createMascotClient({ url: server.graphqlUrl, auth: { apiKey } });
    await partner.request(PublishBotDocument, { botId: bot.id });
    const { bots } = await partner.request(BotsDocument, { first: 5 });
    expect(bots.edges.map((e) => e.node.liveVersion?.number)).toEqual([1]);
    const { createWebhookEndpoint } = await partner.request(CreateWebhookEndpointDocument, {
      input: { url: receiver.url, eventTypes: ['CONVERSATION_STARTED', 'MESSAGE_CREATED', 'REPLY_COMPLETED'] },
    });
    const counters = collectUntil<AnalyticsCountersSubscription>(
      partner.subscribe(AnalyticsCountersDocument, { botId: bot.id }),
      (e) => e.analyticsCounters.messages === 2,
    );

    // 5. A visitor's conversation; the partner watches it live too.
    const { startConversation: session } = await partner.request(StartConversationDocument, { embedId: bot.embedId });
    const visitor = createMascotClient({ url: server.graphqlUrl, auth: { visitorToken: session.visitorToken } });
    const watched = collectUntil(
      partner.subscribe(ConversationEventsDocument, { conversationId: session.conversationId }),
      (e) => e.conversationEvents.__typename === 'ReplyCompleted',
    );
    const question = 'How much is the Pro plan?';
    for await (const { conversationEvents } of visitor.subscribe(ConversationEventsDocument, { conversationId: session.conversationId })) {
      if (conversationEvents.__typename === 'ConversationSubscribed') {
        await visitor.request(SendMessageDocument, { conversationId: session.conversationId, text: question });
      }
      if (conversationEvents.__typename === 'ReplyCompleted' || conversationEvents.__typename === 'ReplyFailed') break;
    }
    const completed = await watched.done;
    if (completed.conversationEvents.__typename !== 'ReplyCompleted') throw new Error('expected a completed reply');
    expect(completed.conversationEvents.message.text).toMatch(/29 dollars/);
    const live = await counters.done;
    expect(live.analyticsCounters).toMatchObject({ conversations: 1, visitorMessages: 1, uniqueVisitors: 1 });

    // 6. Webhooks for the conversation, each verified with the endpoint's secret by a Standard Webhooks library.
    const deliveries = await receiver.waitFor(3);
    const verifier = new Webhook(createWebhookEndpoint.secret);
    const events = deliveries.map((d) => verifier.verify(d.body, d.headers as Record<string, string>) as { type: string; data: Record<string, unknown> });
    expect(events.map((e) => e.type).sort()).toEqual(['conversation.started', 'message.created', 'reply.completed']);
    const asked = events.find((e) => e.type === 'message.created')!;
    expect(asked.data).toMatchObject({ conversationId: session.conversationId, role: 'VISITOR', text: question });
    expect(events.find((e) => e.type === 'reply.completed')!.data).toMatchObject({ knowledgeFound: true, questionMessageId: asked.data['messageId'] });
    expect(() => new Webhook(`whsec_${Buffer.from('not the secret').toString('base64')}`).verify(deliveries[0]!.body, deliveries[0]!.headers as Record<string, string>)).toThrow();

    // 7. The analytics of what just happened, through the SDK and as CSV.
    const today = new Date().toISOString().slice(0, 10);
    const { botAnalytics } = await partner.request(BotAnalyticsDocument, { botId: bot.id, from: today, to: today });
    expect(botAnalytics.totals).toMatchObject({
      conversations: 1, messages: 2, visitorMessages: 1, uniqueVisitors: 1, handedOffConversations: 0,
      resolvedWithoutHandoffShare: 1, leads: 0, unansweredQuestions: 0, costUsd: 0,
    });
    expect(botAnalytics.totals.ttftMedianMs).toEqual(expect.any(Number));
    const { topQuestions } = await partner.request(TopQuestionsDocument, { botId: bot.id, from: today, to: today });
    expect(topQuestions).toEqual([{ representative: question, asked: 1, unanswered: 0, variants: [] }]);
    const csv = await fetch(`${server.url}/analytics/export.csv?botId=${bot.id}&from=${today}&to=${today}`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect((await csv.text()).trim().split('\n').at(-1)).toMatch(/^total,1,2,1,1,/);

    await Promise.all([partner.close(), visitor.close()]);
  });
});

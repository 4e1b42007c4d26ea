import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedBot, type TenantFixture } from '../test/fixtures.ts';
import { graphqlOk, graphqlRequest, recordSubscription, wsClient } from '../test/graphql-test-client.ts';
import { CONVERSATION_EVENTS, START_CONVERSATION } from '../test/operations.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';
import { MAX_OPERATION_NAMES } from '../core/metrics/index.ts';

let server: TestServer;
let bot: TenantFixture;

beforeAll(async () => {
  server = await startTestServer();
  bot = await publishedBot(server.graphqlUrl);
});
afterAll(async () => {
  await server?.stop();
});

async function scrape(): Promise<string> {
  const response = await fetch(`${server.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

/** The value of one series, or undefined when it is absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /metrics', () => {
  it('counts and times operations by name, type and transport, and failures by code', async () => {
    const before = sample(await scrape(), 'mascot_graphql_operations_total', { operation: 'Bots', type: 'query', transport: 'http' }) ?? 0;
    await graphqlOk(server.graphqlUrl, 'query Bots { bots { edges { node { id } } } }', {}, bot.accessToken);
    await graphqlOk(server.graphqlUrl, 'query Bots { bots { edges { node { id } } } }', {}, bot.accessToken);
    const refused = await graphqlRequest(server.graphqlUrl, 'query Bots { bots { edges { node { id } } } }', {});
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');

    const text = await scrape();
    expect(sample(text, 'mascot_graphql_operations_total', { operation: 'Bots', type: 'query', transport: 'http' })).toBe(before + 3);
    expect(sample(text, 'mascot_graphql_errors_total', { operation: 'Bots', code: 'UNAUTHENTICATED' })).toBe(1);
    expect(sample(text, 'mascot_graphql_duration_seconds_count', { operation: 'Bots', type: 'query' })).toBe(before + 3);
    expect(text).toMatch(/^mascot_process_cpu_seconds_total /m);
    expect(sample(text, 'mascot_queue_depth', { queue: 'webhooks' })).toBe(0);
    expect(sample(text, 'mascot_queue_depth', { queue: 'ingestion' })).toBe(0);
  });

  it('tracks the subscriptions open on this instance', async () => {
    const { startConversation: session } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
    const client = wsClient(server.websocketUrl, session.visitorToken);
    const events = recordSubscription(client, CONVERSATION_EVENTS, { conversationId: session.conversationId });
    await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
    const open = await scrape();
    expect(/^mascot_active_subscriptions 1$/m.test(open)).toBe(true);
    expect(sample(open, 'mascot_graphql_operations_total', { type: 'subscription', transport: 'ws' })).toBeGreaterThanOrEqual(1);

    await client.dispose();
    for (let i = 0; i < 100 && !/^mascot_active_subscriptions 0$/m.test(await scrape()); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(/^mascot_active_subscriptions 0$/m.test(await scrape())).toBe(true);
  });

  it('keeps operation-name labels bounded whatever names clients send', async () => {
    for (let i = 0; i < MAX_OPERATION_NAMES + 20; i++) {
      await graphqlRequest(server.graphqlUrl, `query Probe${i} { __typename }`, {});
    }
    await graphqlRequest(server.graphqlUrl, 'query { __typename }', {});
    const names = new Set(
      [...(await scrape()).matchAll(/^mascot_graphql_operations_total\{operation="([^"]+)"/gm)].map((m) => m[1]),
    );
    expect(names.size).toBeLessThanOrEqual(MAX_OPERATION_NAMES + 2);
    expect(names.has('other')).toBe(true);
    expect(names.has('anonymous')).toBe(true);
  });
});

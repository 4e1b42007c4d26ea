import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk } from '../../test/graphql-test-client.ts';
import { SEND_MESSAGE, START_CONVERSATION } from '../../test/operations.ts';
import { clusterServicesAvailable, startTestCluster, type TestCluster } from '../../test/test-cluster.ts';
import type { TestServer } from '../../test/test-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/webhook-receiver.ts';

// Two instances of one installation: "no endpoint takes this event" is cached per tenant (WebhookRoutes);
// an endpoint created on A must receive events produced on B at once, not after the cache's TTL.
// Embedded mode cannot host two instances; webhook-routes.test.ts covers the cache over the in-process bus.
const CREATE_ENDPOINT = /* GraphQL */ `
  mutation Create($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`;
const DELETE_ENDPOINT = /* GraphQL */ `mutation Delete($id: ID!) { deleteWebhookEndpoint(id: $id) }`;

let cluster: TestCluster;
let a: TestServer;
let b: TestServer;
let bot: TenantFixture;
let receiver: WebhookReceiver;

beforeAll(async () => {
  if (!clusterServicesAvailable) return;
  cluster = await startTestCluster({ MASCOT_WEBHOOK_ALLOWED_PRIVATE_HOSTS: '127.0.0.1', MASCOT_WEBHOOK_POLL_MS: '50' });
  [a, b] = cluster.instances;
  bot = await publishedBot(a.graphqlUrl);
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await cluster?.stop();
});

const messageTypes = () => receiver.received.map((r) => JSON.parse(r.body).type as string).filter((type) => type === 'message.created');

describe.skipIf(!clusterServicesAvailable)('webhook routes across instances', () => {
  it('deliver the events of another instance to an endpoint created a moment ago, and stop when it is deleted', async () => {
    const { startConversation: session } = await graphqlOk(b.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
    const send = (text: string) => graphqlOk(b.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text }, session.visitorToken);
    // B has answered "no endpoint" for this tenant (and cached it).
    await send('Hello there');

    const { createWebhookEndpoint } = await graphqlOk(a.graphqlUrl, CREATE_ENDPOINT, { input: { url: receiver.url, eventTypes: ['MESSAGE_CREATED'] } }, bot.accessToken);
    const createdAt = Date.now();
    await send('How much does the Pro plan cost?');
    await receiver.waitFor(1, 10_000);
    // The cache's TTL is 30 s: the delivery came through the announcement.
    expect(Date.now() - createdAt).toBeLessThan(10_000);
    expect(messageTypes()).toEqual(['message.created']);

    await graphqlOk(a.graphqlUrl, DELETE_ENDPOINT, { id: createWebhookEndpoint.endpoint.id }, bot.accessToken);
    await send('Thanks!');
    await send('Bye');
    // Nothing more arrives: give the worker (polling every 50 ms) ample time to have sent anything queued.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(messageTypes()).toEqual(['message.created']);
  });
});

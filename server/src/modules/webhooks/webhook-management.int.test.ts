import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { CREATE_API_KEY, SEND_MESSAGE, START_CONVERSATION } from '../../test/operations.ts';
import { publishedBot, signUpAccount, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest } from '../../test/graphql-test-client.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../../test/webhook-receiver.ts';

const ENDPOINT_FIELDS = 'id url enabled disabledReason includeLeadDetails';
const CREATE_ENDPOINT = /* GraphQL */ `
  mutation Create($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { ${ENDPOINT_FIELDS} } } }`;
const UPDATE_ENDPOINT = /* GraphQL */ `
  mutation Update($id: ID!, $input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $input) { ${ENDPOINT_FIELDS} } }`;
const ENDPOINTS = /* GraphQL */ `query { webhookEndpoints { edges { node { ${ENDPOINT_FIELDS} } } } }`;
const DELETE_ENDPOINT = /* GraphQL */ `mutation Delete($id: ID!) { deleteWebhookEndpoint(id: $id) }`;
const DELIVERY_FIELDS = 'id messageId eventType status attempts lastStatusCode lastError nextAttemptAt payload';
const DELIVERIES = /* GraphQL */ `
  query Deliveries($endpointId: ID!) { webhookDeliveries(endpointId: $endpointId) { edges { node { ${DELIVERY_FIELDS} } } } }`;
const SEND_TEST = /* GraphQL */ `mutation Test($id: ID!) { sendTestWebhookEvent(endpointId: $id) { ${DELIVERY_FIELDS} } }`;
const REPLAY = /* GraphQL */ `mutation Replay($id: ID!) { replayWebhookDelivery(deliveryId: $id) { ${DELIVERY_FIELDS} } }`;
const RETRY_NOW = /* GraphQL */ `mutation RetryNow($id: ID!) { retryWebhookDeliveryNow(deliveryId: $id) { ${DELIVERY_FIELDS} } }`;
const AUDIT = /* GraphQL */ `query { auditLog(first: 50) { edges { node { action actorType actorId targetId } } } }`;

type Delivery = {
  id: string; messageId: string; eventType: string; status: string; attempts: number; lastStatusCode: number | null;
  lastError: string | null; nextAttemptAt: string | null; payload: { type: string; data: Record<string, any> };
};

let server: TestServer;
let receiver: WebhookReceiver;
let tenant: TenantFixture;

beforeAll(async () => {
  server = await startTestServer({
    // The receiver listens on 127.0.0.1: the operator's allowlist exempts exactly that address.
    MASCOT_WEBHOOK_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
    // One retry, ten minutes out: a delivery that is retried stays pending for the length of any test.
    MASCOT_WEBHOOK_RETRY_SCHEDULE_MS: '600000',
    MASCOT_WEBHOOK_POLL_MS: '50',
  });
  tenant = await publishedBot(server.graphqlUrl);
});
afterAll(async () => {
  await receiver?.close();
  await server?.stop();
});
beforeEach(async () => {
  await receiver?.close();
  receiver = await startWebhookReceiver();
  const { webhookEndpoints } = await graphqlOk(server.graphqlUrl, ENDPOINTS, {}, tenant.accessToken);
  for (const { node } of webhookEndpoints.edges) await graphqlOk(server.graphqlUrl, DELETE_ENDPOINT, { id: node.id }, tenant.accessToken);
});

const code = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.['code'];

async function createEndpoint(input: Record<string, unknown>, token = tenant.accessToken) {
  const { createWebhookEndpoint } = await graphqlOk(server.graphqlUrl, CREATE_ENDPOINT, { input: { url: receiver.url, eventTypes: ['BOT_PUBLISHED'], ...input } }, token);
  return createWebhookEndpoint as { secret: string; endpoint: { id: string; includeLeadDetails: boolean } };
}

async function apiKey(scopes: string[], owner = tenant.accessToken): Promise<{ id: string; secret: string }> {
  const { createApiKey } = await graphqlOk(server.graphqlUrl, CREATE_API_KEY, { input: { name: `key ${scopes.join('+')}`, scopes } }, owner);
  return { id: createApiKey.apiKey.id, secret: createApiKey.secret };
}

async function deliveriesOf(endpointId: string, token = tenant.accessToken): Promise<Delivery[]> {
  const { webhookDeliveries } = await graphqlOk(server.graphqlUrl, DELIVERIES, { endpointId }, token);
  return webhookDeliveries.edges.map((e: { node: Delivery }) => e.node);
}

/** The endpoint's only delivery, once `done` holds for it (the worker polls every 50 ms). */
async function deliveryWhen(endpointId: string, done: (delivery: Delivery) => boolean): Promise<Delivery> {
  return vi.waitFor(async () => {
    const [delivery] = await deliveriesOf(endpointId);
    if (!delivery || !done(delivery)) throw new Error(`not yet: ${JSON.stringify(delivery)}`);
    return delivery;
  }, { timeout: 15_000, interval: 50 });
}

/** Queues a test event for the endpoint: one new delivery every time (a publish without changes makes none). */
const sendTest = (endpointId: string) => graphqlOk(server.graphqlUrl, SEND_TEST, { id: endpointId }, tenant.accessToken);
const verify = (secret: string, message: ReceivedWebhook) =>
  new Webhook(secret).verify(message.body, message.headers as Record<string, string>) as { type: string; data: Record<string, any> };

describe('webhook management', () => {
  it('sends a signed webhook.test event through the outbox to an endpoint on request, and audits it', async () => {
    const { secret, endpoint } = await createEndpoint({ eventTypes: ['KNOWLEDGE_INGESTED'] });
    const { sendTestWebhookEvent: queued } = await graphqlOk(server.graphqlUrl, SEND_TEST, { id: endpoint.id }, tenant.accessToken);
    expect(queued).toMatchObject({ eventType: 'WEBHOOK_TEST', status: 'PENDING', payload: { type: 'webhook.test', data: { endpointId: endpoint.id } } });

    const [message] = await receiver.waitFor(1);
    expect(verify(secret, message!)).toMatchObject({ type: 'webhook.test', data: { endpointId: endpoint.id } });
    expect(message!.headers['webhook-id']).toBe(queued.messageId);
    await deliveryWhen(endpoint.id, (d) => d.status === 'DELIVERED');
    const { auditLog } = await graphqlOk(server.graphqlUrl, AUDIT, {}, tenant.accessToken);
    expect(auditLog.edges.map((e: any) => e.node)).toContainEqual(expect.objectContaining({ action: 'webhook.test_sent', actorType: 'user', targetId: endpoint.id }));
    // Nobody subscribes to the test event: it is sent on request only.
    const subscribed = await graphqlRequest(server.graphqlUrl, CREATE_ENDPOINT, { input: { url: receiver.url, eventTypes: ['WEBHOOK_TEST'] } }, tenant.accessToken);
    expect(code(subscribed)).toBe('BAD_USER_INPUT');
  });

  it('retries a 503 on its schedule, and retryWebhookDeliveryNow delivers the pending delivery at once', async () => {
    const { secret, endpoint } = await createEndpoint({});
    receiver.answer({ status: 503 });
    await sendTest(endpoint.id);
    const pending = await deliveryWhen(endpoint.id, (d) => d.attempts === 1);
    expect(pending).toMatchObject({ status: 'PENDING', lastStatusCode: 503 });
    // The next try is ten minutes out.
    expect(Date.parse(pending.nextAttemptAt!) - Date.now()).toBeGreaterThan(60_000);

    const { retryWebhookDeliveryNow } = await graphqlOk(server.graphqlUrl, RETRY_NOW, { id: pending.id }, tenant.accessToken);
    expect(retryWebhookDeliveryNow.status).toBe('PENDING');
    const [first, second] = await receiver.waitFor(2);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(verify(secret, second!).type).toBe('webhook.test');
    expect(await deliveryWhen(endpoint.id, (d) => d.status === 'DELIVERED')).toMatchObject({ attempts: 2, lastStatusCode: 200 });

    // Delivered is replay's business, not retry-now's.
    expect(code(await graphqlRequest(server.graphqlUrl, RETRY_NOW, { id: pending.id }, tenant.accessToken))).toBe('CONFLICT');
  });

  it('fails a permanent refusal at once: 410 disables the endpoint, a 404 fails the delivery and keeps the endpoint', async () => {
    const gone = await createEndpoint({});
    receiver.answer({ status: 410 });
    await sendTest(gone.endpoint.id);
    expect(await deliveryWhen(gone.endpoint.id, (d) => d.status !== 'PENDING')).toMatchObject({ status: 'FAILED', attempts: 1, lastStatusCode: 410, nextAttemptAt: null });
    await graphqlOk(server.graphqlUrl, DELETE_ENDPOINT, { id: gone.endpoint.id }, tenant.accessToken);

    const missing = await createEndpoint({});
    receiver.answer({ status: 404 });
    await sendTest(missing.endpoint.id);
    const failed = await deliveryWhen(missing.endpoint.id, (d) => d.status !== 'PENDING');
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 1, lastStatusCode: 404, nextAttemptAt: null, lastError: expect.stringMatching(/permanent/) });
    const { webhookEndpoints } = await graphqlOk(server.graphqlUrl, ENDPOINTS, {}, tenant.accessToken);
    expect(webhookEndpoints.edges[0].node).toMatchObject({ id: missing.endpoint.id, enabled: true });
    expect(receiver.received).toHaveLength(2);

    // A failed delivery can be made due now once the receiver is fixed.
    await graphqlOk(server.graphqlUrl, RETRY_NOW, { id: failed.id }, tenant.accessToken);
    expect(await deliveryWhen(missing.endpoint.id, (d) => d.status === 'DELIVERED')).toMatchObject({ attempts: 2, lastStatusCode: 200 });
  });

  it('refuses a private destination at registration unless the operator allowlist covers it', async () => {
    const port = new URL(receiver.url).port;
    // "localhost" resolves to loopback too, but only the address 127.0.0.1 is on this server's allowlist.
    for (const url of [`http://localhost:${port}/hooks`, 'http://10.1.2.3/hooks', 'http://169.254.169.254/latest', 'http://[::1]/hooks']) {
      const refused = await graphqlRequest(server.graphqlUrl, CREATE_ENDPOINT, { input: { url, eventTypes: ['BOT_PUBLISHED'] } }, tenant.accessToken);
      expect(refused.errors?.[0]?.extensions, url).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DESTINATION_NOT_ALLOWED' });
    }
    const { endpoint } = await createEndpoint({});
    const moved = await graphqlRequest(server.graphqlUrl, UPDATE_ENDPOINT, { id: endpoint.id, input: { url: 'http://192.168.1.1/hooks' } }, tenant.accessToken);
    expect(moved.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DESTINATION_NOT_ALLOWED' });
  });

  it('answers unknown, malformed and foreign ids with typed errors, and needs webhooks:manage', async () => {
    const { endpoint } = await createEndpoint({});
    receiver.answer({ status: 404 });
    await graphqlOk(server.graphqlUrl, SEND_TEST, { id: endpoint.id }, tenant.accessToken);
    const delivery = await deliveryWhen(endpoint.id, (d) => d.status === 'FAILED');
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(code(await graphqlRequest(server.graphqlUrl, SEND_TEST, { id: unknown }, tenant.accessToken))).toBe('NOT_FOUND');
    expect(code(await graphqlRequest(server.graphqlUrl, RETRY_NOW, { id: unknown }, tenant.accessToken))).toBe('NOT_FOUND');
    expect(code(await graphqlRequest(server.graphqlUrl, SEND_TEST, { id: 'nope' }, tenant.accessToken))).toBe('BAD_USER_INPUT');
    expect(code(await graphqlRequest(server.graphqlUrl, RETRY_NOW, { id: 'nope' }, tenant.accessToken))).toBe('BAD_USER_INPUT');

    const stranger = await signUpAccount(server.graphqlUrl, 'Other Inc');
    expect(code(await graphqlRequest(server.graphqlUrl, SEND_TEST, { id: endpoint.id }, stranger.accessToken))).toBe('NOT_FOUND');
    expect(code(await graphqlRequest(server.graphqlUrl, RETRY_NOW, { id: delivery!.id }, stranger.accessToken))).toBe('NOT_FOUND');

    const reader = await apiKey(['READ']);
    expect(code(await graphqlRequest(server.graphqlUrl, SEND_TEST, { id: endpoint.id }, reader.secret))).toBe('FORBIDDEN');
    expect(code(await graphqlRequest(server.graphqlUrl, RETRY_NOW, { id: delivery!.id }, reader.secret))).toBe('FORBIDDEN');
    // A key that manages webhooks may, and is the audited actor.
    const writer = await apiKey(['WRITE']);
    await graphqlOk(server.graphqlUrl, RETRY_NOW, { id: delivery!.id }, writer.secret);
    const { auditLog } = await graphqlOk(server.graphqlUrl, AUDIT, {}, tenant.accessToken);
    expect(auditLog.edges.map((e: any) => e.node)).toContainEqual({ action: 'webhook.retried_now', actorType: 'api_key', actorId: writer.id, targetId: delivery!.id });

    await graphqlOk(server.graphqlUrl, UPDATE_ENDPOINT, { id: endpoint.id, input: { enabled: false } }, tenant.accessToken);
    expect(code(await graphqlRequest(server.graphqlUrl, SEND_TEST, { id: endpoint.id }, tenant.accessToken))).toBe('CONFLICT');
  });
});

describe('lead details in webhooks', () => {
  /** A visitor leaves a name and an address; resolves with what each endpoint received for it. */
  async function captureLead() {
    const { startConversation } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: tenant.embedId });
    await graphqlOk(
      server.graphqlUrl, SEND_MESSAGE,
      { conversationId: startConversation.conversationId, text: "I'm Ada Lovelace, write to ada@example.com please" },
      startConversation.visitorToken,
    );
    return startConversation.conversationId as string;
  }

  it('sends the contact details only to endpoints that include them, and ids to the rest', async () => {
    const detailed = await createEndpoint({ eventTypes: ['LEAD_CAPTURED'], includeLeadDetails: true });
    expect(detailed.endpoint.includeLeadDetails).toBe(true);
    const plainReceiver = await startWebhookReceiver();
    try {
      const plain = await createEndpoint({ url: plainReceiver.url, eventTypes: ['LEAD_CAPTURED'] });
      const conversationId = await captureLead();

      const [withDetails] = await receiver.waitFor(1);
      expect(verify(detailed.secret, withDetails!)).toMatchObject({
        type: 'lead.captured',
        data: { conversationId, has: { name: true, email: true }, lead: { name: 'Ada Lovelace', email: 'ada@example.com', phone: null, wantsContact: expect.any(Boolean) } },
      });
      const [idsOnly] = await plainReceiver.waitFor(1);
      const payload = verify(plain.secret, idsOnly!);
      expect(payload).toMatchObject({ type: 'lead.captured', data: { conversationId, has: { name: true, email: true } } });
      expect(payload.data).not.toHaveProperty('lead');
      expect(idsOnly!.body).not.toMatch(/ada@example\.com|Lovelace/);
    } finally {
      await plainReceiver.close();
    }
  });

  it('lets only actors who may read leads turn details on or move such an endpoint, and hides them from the others in the log', async () => {
    const writer = await apiKey(['WRITE']);
    const refused = await graphqlRequest(
      server.graphqlUrl, CREATE_ENDPOINT, { input: { url: receiver.url, eventTypes: ['LEAD_CAPTURED'], includeLeadDetails: true } }, writer.secret,
    );
    expect(code(refused)).toBe('FORBIDDEN');
    const leadWriter = await apiKey(['WRITE', 'LEADS_READ']);
    const { endpoint } = await createEndpoint({ eventTypes: ['LEAD_CAPTURED'], includeLeadDetails: true }, leadWriter.secret);
    await captureLead();
    await receiver.waitFor(1);

    // Moving it would send the details somewhere new; turning them off is always allowed.
    const moved = await graphqlRequest(server.graphqlUrl, UPDATE_ENDPOINT, { id: endpoint.id, input: { url: `${receiver.url}/elsewhere` } }, writer.secret);
    expect(code(moved)).toBe('FORBIDDEN');
    const logged = await deliveryWhen(endpoint.id, (d) => d.status === 'DELIVERED');
    const [shown] = await deliveriesOf(endpoint.id, writer.secret);
    expect(shown!.payload.data).not.toHaveProperty('lead');
    expect(JSON.stringify(shown)).not.toMatch(/ada@example\.com/);
    const { replayWebhookDelivery: replayed } = await graphqlOk(server.graphqlUrl, REPLAY, { id: logged.id }, writer.secret);
    expect(JSON.stringify(replayed)).not.toMatch(/ada@example\.com/);
    await receiver.waitFor(2);
    const [full] = await deliveriesOf(endpoint.id, leadWriter.secret);
    expect(full!.payload.data['lead']).toMatchObject({ email: 'ada@example.com' });

    const { updateWebhookEndpoint } = await graphqlOk(server.graphqlUrl, UPDATE_ENDPOINT, { id: endpoint.id, input: { includeLeadDetails: false } }, writer.secret);
    expect(updateWebhookEndpoint.includeLeadDetails).toBe(false);
    await graphqlOk(server.graphqlUrl, UPDATE_ENDPOINT, { id: endpoint.id, input: { url: `${receiver.url}/elsewhere` } }, writer.secret);
  });
});

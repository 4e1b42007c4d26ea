import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { signUpAccount } from '../../test/fixtures.ts';
import { graphqlOk } from '../../test/graphql-test-client.ts';
import { CREATE_BOT, PUBLISH_BOT } from '../../test/operations.ts';
import { spawnServerProcess, type ServerProcess } from '../../test/server-process.ts';
import { createTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { TEST_JWT_SECRET } from '../../test/test-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/webhook-receiver.ts';

const { DATABASE_URL } = process.env;

const CREATE_ENDPOINT = /* GraphQL */ `
  mutation Create($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }`;
const DELIVERIES = /* GraphQL */ `
  query Deliveries($endpointId: ID!) { webhookDeliveries(endpointId: $endpointId) { edges { node { status attempts messageId } } } }`;

// The outbox must outlive a killed process, so both processes share a real PostgreSQL; CI sets it.
describe.skipIf(!DATABASE_URL)('a webhook worker killed mid-delivery', () => {
  let database: TestDatabase;
  let receiver: WebhookReceiver;
  const processes: ServerProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase(DATABASE_URL);
    receiver = await startWebhookReceiver();
    env = {
      DATABASE_URL: database.url!,
      MASCOT_JWT_SECRET: TEST_JWT_SECRET,
      MASCOT_WEBHOOK_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
      MASCOT_WEBHOOK_POLL_MS: '50',
      // The lease is the send deadline plus 5 s; the first worker dies well inside it.
      MASCOT_WEBHOOK_TIMEOUT_MS: '3000',
    };
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    await receiver?.close();
    await database?.drop();
  });

  it('loses nothing: another instance sends the message again, once, with the same webhook-id', async () => {
    const first = await spawnServerProcess(env);
    processes.push(first);
    const owner = await signUpAccount(first.graphqlUrl);
    const { createBot } = await graphqlOk(first.graphqlUrl, CREATE_BOT, { input: { name: 'Pip' } }, owner.accessToken);
    const { createWebhookEndpoint: created } = await graphqlOk(
      first.graphqlUrl, CREATE_ENDPOINT, { input: { url: receiver.url, eventTypes: ['BOT_PUBLISHED'] } }, owner.accessToken,
    );
    receiver.answer('hang');
    await graphqlOk(first.graphqlUrl, PUBLISH_BOT, { botId: createBot.id }, owner.accessToken);
    await receiver.waitFor(1);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await spawnServerProcess(env);
    processes.push(second);
    const [held, resent] = await receiver.waitFor(2, 20_000);
    expect(resent!.headers['webhook-id']).toBe(held!.headers['webhook-id']);
    const payload = new Webhook(created.secret).verify(resent!.body, resent!.headers as Record<string, string>);
    expect(payload).toMatchObject({ type: 'bot.published', data: { botId: createBot.id } });

    const poll = async () => (await graphqlOk(second.graphqlUrl, DELIVERIES, { endpointId: created.endpoint.id }, owner.accessToken)).webhookDeliveries.edges;
    let edges = await poll();
    while (edges[0]?.node.status !== 'DELIVERED') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      edges = await poll();
    }
    expect(edges).toHaveLength(1);
    expect(receiver.received).toHaveLength(2);
  });
});

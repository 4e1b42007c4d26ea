import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BotsDocument,
  ConversationEventsDocument,
  CreateWebhookEndpointDocument,
  MascotApiError,
  SearchKnowledgeDocument,
  SendMessageDocument,
  StartConversationDocument,
  WebhookEndpointsDocument,
  createMascotClient,
  type ConversationEventsSubscription,
} from '@mascot/sdk';
import { publishedBot, type TenantFixture } from '../test/fixtures.ts';
import { graphqlOk } from '../test/graphql-test-client.ts';
import { CREATE_API_KEY } from '../test/operations.ts';
import { sharedTestServer } from '../test/shared-test-server.ts';
import type { TestServer } from '../test/test-server.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let server: TestServer;
let bot: TenantFixture;
let apiKey: string;

beforeAll(async () => {
  server = await sharedTestServer();
  bot = await publishedBot(server.graphqlUrl);
  const { createApiKey } = await graphqlOk(
    server.graphqlUrl, CREATE_API_KEY, { input: { name: 'CRM sync', scopes: ['READ', 'WRITE'] } }, bot.accessToken,
  );
  apiKey = createApiKey.secret;
});

describe('the partner SDK against a real server', () => {
  it('queries and mutates with an API key, typed end to end', async () => {
    const mascot = createMascotClient({ url: server.graphqlUrl, auth: { apiKey } });
    const { bots } = await mascot.request(BotsDocument, { first: 5 });
    expect(bots.edges.map((e) => e.node.id)).toEqual([bot.botId]);
    expect(bots.edges[0]!.node.liveVersion?.number).toBe(1);

    const { createWebhookEndpoint } = await mascot.request(CreateWebhookEndpointDocument, {
      input: { url: 'https://crm.example.com/hooks/mascot', eventTypes: ['REPLY_COMPLETED', 'LEAD_CAPTURED'] },
    });
    expect(createWebhookEndpoint.secret).toMatch(/^whsec_/);
    const { webhookEndpoints } = await mascot.request(WebhookEndpointsDocument);
    expect(webhookEndpoints.edges[0]!.node.eventTypes).toEqual(['REPLY_COMPLETED', 'LEAD_CAPTURED']);
  });

  it('rejects with a MascotApiError carrying the code, details and request id', async () => {
    const mascot = createMascotClient({ url: server.graphqlUrl, auth: { apiKey } });
    const failure = await mascot.request(SearchKnowledgeDocument, { botId: '00000000-0000-4000-8000-000000000000', query: 'price' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MascotApiError);
    expect(failure).toMatchObject({ code: 'NOT_FOUND' });

    const bad = await mascot.request(CreateWebhookEndpointDocument, { input: { url: 'ftp://nope', eventTypes: ['BOT_PUBLISHED'] } }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'BAD_USER_INPUT', details: { fieldErrors: [expect.objectContaining({ field: 'url' })] } });

    const anonymous = createMascotClient({ url: server.graphqlUrl });
    const refused = await anonymous.request(BotsDocument, {}).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('streams a visitor conversation over graphql-ws', async () => {
    const partner = createMascotClient({ url: server.graphqlUrl, auth: { apiKey } });
    const { startConversation } = await partner.request(StartConversationDocument, { embedId: bot.embedId });
    const visitor = createMascotClient({ url: server.graphqlUrl, auth: { visitorToken: startConversation.visitorToken } });
    const seen: ConversationEventsSubscription['conversationEvents'][] = [];
    for await (const { conversationEvents } of visitor.subscribe(ConversationEventsDocument, { conversationId: startConversation.conversationId })) {
      seen.push(conversationEvents);
      if (conversationEvents.__typename === 'ConversationSubscribed') {
        await visitor.request(SendMessageDocument, { conversationId: startConversation.conversationId, text: 'How much is the Pro plan?' });
      }
      if (conversationEvents.__typename === 'ReplyCompleted' || conversationEvents.__typename === 'ReplyFailed') break;
    }
    const completed = seen.at(-1)!;
    expect(completed.__typename).toBe('ReplyCompleted');
    if (completed.__typename !== 'ReplyCompleted') return;
    expect(completed.message.text).toMatch(/29 dollars/);
    const deltas = seen.flatMap((e) => (e.__typename === 'ReplyDelta' ? [e.delta] : []));
    expect(deltas.join('')).toBe(completed.message.text);
    await visitor.close();
  });

  it('runs the documented quick-start example unchanged', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'packages/sdk/examples/partner-quickstart.ts', 'When is support open?'],
      { cwd: REPO, env: { ...process.env, MASCOT_URL: server.graphqlUrl, MASCOT_API_KEY: apiKey }, timeout: 60_000 },
    );
    expect(stdout).toMatch(/^bot: Pip \(version 1\)$/m);
    expect(stdout).toMatch(/^answer: .*8 am to 8 pm/m);
    expect(stdout).toMatch(/^source \[1\]: Price list$/m);
  });
});

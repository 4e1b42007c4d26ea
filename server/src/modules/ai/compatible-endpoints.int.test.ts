import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { startFakeOpenAiServer, type FakeProviderServer } from '../../test/fake-openai-server.ts';
import { graphqlOk, graphqlRequest, recordSubscription, wsClient } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { CONVERSATION_EVENTS, PUBLISH_BOT, SEND_MESSAGE, START_CONVERSATION } from '../../test/operations.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

// Issue 15, finding 1, through the public API: a designer names an OpenAI-compatible base URL that
// points into the server's own network. The fake provider on loopback stands for the internal service.
const SYSTEM_PROMPT = 'Internal instructions: the staff discount code is OTTER-42.';
const DRAFT = /* GraphQL */ `query($id: ID!) { bot(id: $id) { draft draftRevision } }`;
const UPDATE_DRAFT = /* GraphQL */ `
  mutation($botId: ID!, $bundle: JSONObject!) { updateBotDraft(botId: $botId, bundle: $bundle) { draftRevision } }`;

let internal: FakeProviderServer;
let server: TestServer;
let bot: TenantFixture;

beforeAll(async () => {
  internal = await startFakeOpenAiServer();
  // No operator allowlist: the production default.
  server = await startTestServer({ MASCOT_AI_FIRST_TOKEN_TIMEOUT_MS: '1000', MASCOT_AI_RETRIES: '0' });
  bot = await publishedBot(server.graphqlUrl);
});
afterAll(async () => {
  await server?.stop();
  await internal?.close();
});
beforeEach(() => internal.reset());

async function saveChain(baseUrl: string) {
  const { bot: current } = await graphqlOk(server.graphqlUrl, DRAFT, { id: bot.botId }, bot.accessToken);
  const bundle = {
    ...current.draft,
    providers: [{ provider: 'openai-compatible', model: 'llama3.1:8b', baseUrl }, { provider: 'offline', model: 'mascot-extractive-v1' }],
    personality: { ...current.draft.personality, systemPrompt: SYSTEM_PROMPT },
  };
  return graphqlRequest(server.graphqlUrl, UPDATE_DRAFT, { botId: bot.botId, bundle }, bot.accessToken);
}

describe('tenant-chosen provider base URLs (no operator allowlist)', () => {
  it('refuses loopback, numeric, IPv6-mapped and private base URLs when the draft is saved, with a typed reason', async () => {
    const { port } = new URL(internal.url);
    for (const host of ['127.0.0.1', '2130706433', '0x7f.1', '[::ffff:127.0.0.1]', 'localhost', '10.0.0.8', '169.254.169.254']) {
      const result = await saveChain(`http://${host}:${port}/v1`);
      expect(result.errors?.[0]?.extensions, host).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'DESTINATION_NOT_ALLOWED',
        fieldErrors: [{ field: 'bundle.providers.0.baseUrl' }],
      });
    }
    expect(internal.requests).toHaveLength(0);
  });

  it('refuses at send time too: a live version pointing at loopback never receives the prompt', async () => {
    // Saved while its address was public; then it changed (DNS, or a version published before this check).
    expect((await saveChain('http://93.184.216.34/v1')).errors).toBeUndefined();
    await graphqlOk(server.graphqlUrl, PUBLISH_BOT, { botId: bot.botId }, bot.accessToken);
    await ownerQuery(
      server.databaseUrl,
      `update bot_version set config = jsonb_set(config, '{providers,0,baseUrl}', to_jsonb($2::text)) where bot_id = $1`,
      [bot.botId, internal.url],
    );

    const { startConversation: session } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
    const client = wsClient(server.websocketUrl, session.visitorToken);
    const events = recordSubscription(client, CONVERSATION_EVENTS, { conversationId: session.conversationId });
    try {
      await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
      await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'How much does the Pro plan cost?' }, session.visitorToken);
      const last = (await events.waitFor((e) => ['ReplyCompleted', 'ReplyFailed'].includes(e.conversationEvents.__typename), 30_000)).conversationEvents;
      // The offline entry answered; the internal service was never called.
      expect(last.__typename).toBe('ReplyCompleted');
      expect(last.message.text).toMatch(/29 dollars/);
      expect(internal.requests).toHaveLength(0);
    } finally {
      await events.close();
      await client.dispose();
    }
  });
});

describe('tenant-chosen provider base URLs with an operator allowlist', () => {
  let allowing: TestServer;
  beforeAll(async () => {
    allowing = await startTestServer({ MASCOT_OUTBOUND_ALLOWED_PRIVATE: new URL(internal.url).origin });
  });
  afterAll(async () => allowing?.stop());

  it('lets the listed private origin through, and only that one', async () => {
    const own = await publishedBot(allowing.graphqlUrl);
    const { bot: current } = await graphqlOk(allowing.graphqlUrl, DRAFT, { id: own.botId }, own.accessToken);
    const withUrl = (baseUrl: string) => ({ ...current.draft, providers: [{ provider: 'openai-compatible', model: 'llama3.1:8b', baseUrl }] });
    const listed = await graphqlRequest(allowing.graphqlUrl, UPDATE_DRAFT, { botId: own.botId, bundle: withUrl(internal.url) }, own.accessToken);
    expect(listed.errors).toBeUndefined();
    const otherPort = await graphqlRequest(allowing.graphqlUrl, UPDATE_DRAFT, { botId: own.botId, bundle: withUrl('http://127.0.0.1:5432/v1') }, own.accessToken);
    expect(otherPort.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DESTINATION_NOT_ALLOWED' });
  });
});

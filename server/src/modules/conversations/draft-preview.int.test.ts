import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_ANSWER, startFakeOpenAiServer, type FakeProviderServer } from '../../test/fake-openai-server.ts';
import { publishedBot, signUpAccount, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, recordSubscription, wsClient } from '../../test/graphql-test-client.ts';
import { ACCEPT_INVITATION, INVITE_MEMBER } from '../../test/operations.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

const PREVIEW = /* GraphQL */ `
  subscription($botId: ID!, $input: PreviewReplyInput!) {
    previewReply(botId: $botId, input: $input) {
      __typename
      ... on PreviewReplyDelta { delta }
      ... on PreviewReplyCompleted { text grounded provider model inputTokens outputTokens costMicroUsd sources { marker documentTitle } }
    }
  }`;
const DRAFT = /* GraphQL */ `query($id: ID!) { bot(id: $id) { draft } }`;
const UPDATE_DRAFT = /* GraphQL */ `mutation($botId: ID!, $bundle: JSONObject!) { updateBotDraft(botId: $botId, bundle: $bundle) { draftRevision } }`;

let openai: FakeProviderServer;
let server: TestServer;
let bot: TenantFixture;
let draft: Record<string, any>;

beforeAll(async () => {
  openai = await startFakeOpenAiServer();
  server = await startTestServer({ OPENAI_API_KEY: 'sk-preview-test-0123456789', OPENAI_BASE_URL: openai.url, MASCOT_AI_RETRIES: '0' });
  bot = await publishedBot(server.graphqlUrl);
  // Only the draft gets the OpenAI chain: the live version keeps answering offline.
  draft = (await graphqlOk(server.graphqlUrl, DRAFT, { id: bot.botId }, bot.accessToken)).bot.draft;
  draft = { ...draft, providers: [{ provider: 'openai', model: 'gpt-4o-mini' }] };
  await graphqlOk(server.graphqlUrl, UPDATE_DRAFT, { botId: bot.botId, bundle: draft }, bot.accessToken);
});
afterAll(async () => {
  await server?.stop();
  await openai?.close();
});
beforeEach(() => openai.reset());

async function preview(input: Record<string, unknown>, token = bot.accessToken, botId = bot.botId) {
  const client = wsClient(server.websocketUrl, token);
  const events = recordSubscription(client, PREVIEW, { botId, input });
  try {
    const last = await events.waitFor((e) => e.previewReply.__typename === 'PreviewReplyCompleted');
    const streamed = events.events.filter((e) => e.previewReply.__typename === 'PreviewReplyDelta').map((e) => e.previewReply.delta).join('');
    return { last: last.previewReply, streamed, deltas: events.events.length - 1 };
  } finally {
    await events.close();
    await client.dispose();
  }
}

async function refusal(input: Record<string, unknown>, token = bot.accessToken, botId = bot.botId): Promise<string> {
  const client = wsClient(server.websocketUrl, token);
  const events = recordSubscription(client, PREVIEW, { botId, input });
  try {
    const error = await events.waitFor(() => false, 10_000).then(() => null, (e: unknown) => e);
    return (error as { extensions?: { code?: string } }[])[0]?.extensions?.code ?? String(error);
  } finally {
    await events.close();
    await client.dispose();
  }
}

const count = async (table: string) =>
  (await ownerQuery<{ n: number }>(server.databaseUrl, `select count(*)::int as n from ${table} where tenant_id = $1`, [bot.tenantId]))[0]!.n;

describe('previewReply', () => {
  it("streams the draft's answer from the tenant's provider with sources and cost, and stores no conversation", async () => {
    const [conversations, messages] = [await count('conversation'), await count('message')];
    const { last, streamed, deltas } = await preview({ question: 'How much does the Pro plan cost?' });
    expect(streamed).toBe(FAKE_ANSWER);
    expect(deltas).toBeGreaterThan(1);
    expect(last).toMatchObject({ text: FAKE_ANSWER, grounded: true, provider: 'openai', model: 'gpt-4o-mini', sources: [{ marker: 1, documentTitle: 'Price list' }] });
    expect(last.costMicroUsd).toBeGreaterThan(0);
    expect(openai.requests).toHaveLength(1);
    expect([await count('conversation'), await count('message')]).toEqual([conversations, messages]);
    await server.counters.flush(); // roll-ups are written once a second (DeferredCounters)
    const [spend] = await ownerQuery<{ cost: string }>(server.databaseUrl, 'select sum(ai_cost_micro_usd)::text as cost from tenant_usage where tenant_id = $1', [bot.tenantId]);
    expect(Number(spend!.cost)).toBeGreaterThanOrEqual(last.costMicroUsd);
  });

  it('answers with an unsynced bundle when given one, history included, and redacts personal data for the provider', async () => {
    const bundle = { ...draft, personality: { ...draft['personality'], systemPrompt: 'You are the unsynced Studio draft.' } };
    await preview({
      question: 'Mail me at jane.doe@example.com about Pro',
      history: [{ role: 'VISITOR', text: 'Hello' }, { role: 'ASSISTANT', text: 'Hi! Ask me anything.' }],
      bundle,
    });
    const body = JSON.stringify(openai.requests[0]!.body);
    expect(body).toContain('You are the unsynced Studio draft.');
    expect(body).toContain('Hi! Ask me anything.');
    expect(body).not.toContain('jane.doe@example.com');
    expect(body).toContain('[email]');
  });

  it("answers from the draft's curated answers, before they are published, without calling the model", async () => {
    const answer = 'Pro costs 29 dollars a month; yearly plans get two months free.';
    await graphqlOk(server.graphqlUrl, /* GraphQL */ `mutation($botId: ID!, $input: CuratedAnswerInput!) { createCuratedAnswer(botId: $botId, input: $input) { id } }`, {
      botId: bot.botId, input: { question: 'How much does the Pro plan cost?', paraphrases: ['Pro plan price?'], answer },
    }, bot.accessToken);
    const { last, streamed } = await preview({ question: 'how much does the pro plan cost' });
    expect(streamed).toBe(answer);
    expect(last).toMatchObject({ text: answer, grounded: true, provider: 'curated', costMicroUsd: 0, sources: [{ marker: 1, documentTitle: 'Answer from the team' }] });
    expect(openai.requests).toHaveLength(0);
  });

  it('refuses bad input, other roles and exhausted budgets with typed errors, before any provider call', async () => {
    expect(await refusal({ question: '   ' })).toBe('BAD_USER_INPUT');
    expect(await refusal({ question: 'hi', bundle: { ...draft, providers: 'all of them' } })).toBe('BAD_USER_INPUT');
    expect(await refusal({ question: 'hi' }, bot.accessToken, '00000000-0000-4000-8000-000000000000')).toBe('NOT_FOUND');

    const viewer = await signUpAccount(server.graphqlUrl);
    const { inviteMember } = await graphqlOk(server.graphqlUrl, INVITE_MEMBER, { input: { email: viewer.email, role: 'VIEWER' } }, bot.accessToken);
    const { acceptInvitation } = await graphqlOk(server.graphqlUrl, ACCEPT_INVITATION, { token: inviteMember.token }, viewer.accessToken);
    expect(await refusal({ question: 'hi' }, acceptInvitation.accessToken)).toBe('FORBIDDEN');

    await ownerQuery(server.databaseUrl, `update tenant_usage set ai_cost_micro_usd = 999999999 where tenant_id = $1`, [bot.tenantId]);
    expect(await refusal({ question: 'How much does the Pro plan cost?' })).toBe('QUOTA_EXCEEDED');
    expect(openai.requests).toHaveLength(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { priceUsage, PRICING_TABLE, type ReplyRequest } from '../ai/index.ts';
import { publishedBot, signUpAccount, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { ACCEPT_INVITATION, INVITE_MEMBER, SEND_MESSAGE, START_CONVERSATION } from '../../test/operations.ts';
import { publishDraftChange } from '../../test/provider-chain.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';
import { BOT_USAGE_DAILY, scriptedProvider } from './reply-test-kit.ts';

// A model from the providers' price table, so every reply costs real (non-zero) micro-dollars.
const MODEL = 'gpt-4o-mini';
const EXPENSIVE_MODEL = 'claude-opus-4-1';
// Enough replies, with usage varying per question, that rounding each reply's cost would show in the sums;
// a thousand proved nothing more and cost a minute of CI.
const REPLIES = 240;
const CONVERSATIONS = 8;
const question = (n: number) => `Question ${n}: how much does the Pro plan cost?`;

/** Deterministic, varied usage per question, so rounding of each reply's cost is exercised. */
function usageOf(request: ReplyRequest) {
  const n = Number(/Question (\d+)/.exec(request.question)?.[1] ?? 0);
  if (request.question.startsWith('Expensive')) return { inputTokens: 2_000, outputTokens: 70_000 };
  return { inputTokens: 700 + ((n * 37) % 911), outputTokens: 40 + ((n * 13) % 389) };
}

const provider = scriptedProvider({
  provider: 'openai',
  model: MODEL,
  usage: usageOf,
  answer: (request) => `Answer to ${request.question}.`,
});
// A second model on the same server: the budget test uses it through the provider name in the question.
const expensive = scriptedProvider({ provider: 'anthropic', model: EXPENSIVE_MODEL, usage: usageOf, answer: () => 'That was expensive.' });
const routing = {
  name: 'routing',
  streamReply: (request: ReplyRequest) => (request.question.startsWith('Expensive') ? expensive : provider).streamReply(request),
};

let server: TestServer;
let bot: TenantFixture;

beforeAll(async () => {
  server = await startTestServer({}, { provider: routing });
  bot = await publishedBot(server.graphqlUrl);
  // On the pro plan, so none of the free plan's monthly limits can cut the counting short.
  await ownerQuery(server.databaseUrl, `update tenant set plan = 'pro' where id = $1`, [bot.tenantId]);
  // Every message is for the bot: it never hands a conversation to a person, who would answer instead.
  await publishDraftChange(server.graphqlUrl, bot, (draft) => ({ ...draft, personality: { ...draft['personality'], offerHuman: 'never' } }));
});
afterAll(() => server?.stop());

async function startConversation(embedId: string) {
  const { startConversation: session } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId });
  return session as { conversationId: string; visitorToken: string };
}

/** Waits while replies keep arriving; fails once none has been stored for ten seconds. */
async function waitForAssistantMessages(tenantId: string, count: number): Promise<void> {
  let stored = -1;
  let idleSince = Date.now();
  for (;;) {
    const [row] = await ownerQuery<{ n: number }>(server.databaseUrl, `select count(*)::int as n from message where tenant_id = $1 and role = 'ASSISTANT'`, [tenantId]);
    if (row!.n >= count) return;
    if (row!.n !== stored) [stored, idleSince] = [row!.n, Date.now()];
    if (Date.now() - idleSince > 10_000) {
      const failures = await ownerQuery(server.databaseUrl, `select e->>'code' as code, count(*)::int as n from conversation_event, jsonb_array_elements(payload) as e where tenant_id = $1 and e->>'type' = 'ReplyFailed' group by 1`, [tenantId]);
      const status = await ownerQuery(server.databaseUrl, `select status, count(*)::int as n from conversation where tenant_id = $1 group by 1`, [tenantId]);
      const types = await ownerQuery(server.databaseUrl, `select e->>'type' as type, count(*)::int as n from conversation_event, jsonb_array_elements(payload) as e where tenant_id = $1 group by 1`, [tenantId]);
      const visitor = await ownerQuery(server.databaseUrl, `select count(*)::int as n from message where tenant_id = $1 and role = 'VISITOR'`, [tenantId]);
      throw new Error(`${stored} of ${count} replies were stored; failed: ${JSON.stringify({ failures, status, types, visitor })}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('what replies cost', () => {
  it('adds up exactly across hundreds of replies: messages, daily roll-ups and the tenant spend', async () => {
    expect(PRICING_TABLE.openai[MODEL]).toBeDefined();
    const sessions = [];
    for (let c = 0; c < CONVERSATIONS; c++) sessions.push(await startConversation(bot.embedId));
    // Conversations run side by side; each sends its messages one after the other, without waiting for replies.
    await Promise.all(sessions.map(async (session, c) => {
      for (let n = c; n < REPLIES; n += CONVERSATIONS) {
        await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: question(n) }, session.visitorToken);
      }
    }));
    await waitForAssistantMessages(bot.tenantId, REPLIES);

    // What the price table says, reply by reply, computed here independently of the pipeline.
    const expected = Array.from({ length: REPLIES }, (_, n) => {
      const usage = usageOf({ question: question(n) } as ReplyRequest);
      return { ...usage, cost: priceUsage('openai', MODEL, usage).costMicroUsd };
    });
    const expectedCost = expected.reduce((sum, reply) => sum + reply.cost, 0);
    expect(expected.every((reply) => reply.cost > 0)).toBe(true);

    const messages = await ownerQuery<{ cost: string; input_tokens: number; output_tokens: number; provider: string; model: string; pricing_version: string; latency_ms: number; time_to_first_token_ms: number }>(
      server.databaseUrl,
      `select cost_micro_usd as cost, input_tokens, output_tokens, provider, model, pricing_version, latency_ms, time_to_first_token_ms
       from message where tenant_id = $1 and role = 'ASSISTANT'`,
      [bot.tenantId],
    );
    expect(messages).toHaveLength(REPLIES);
    for (const message of messages) {
      expect(message).toMatchObject({ provider: 'openai', model: MODEL, pricing_version: priceUsage('openai', MODEL, { inputTokens: 1, outputTokens: 1 }).pricingVersion });
      expect(message.latency_ms).toBeGreaterThanOrEqual(message.time_to_first_token_ms);
    }
    const messageCost = messages.reduce((sum, m) => sum + Number(m.cost), 0);
    expect(messageCost).toBe(expectedCost);
    expect(messages.reduce((sum, m) => sum + m.input_tokens, 0)).toBe(expected.reduce((sum, r) => sum + r.inputTokens, 0));
    expect(messages.reduce((sum, m) => sum + m.output_tokens, 0)).toBe(expected.reduce((sum, r) => sum + r.outputTokens, 0));

    // The daily roll-up (summed over days, should the run cross UTC midnight) and the tenant's month.
    await server.counters.flush(); // roll-ups are written once a second (DeferredCounters)
    const [rollup] = await ownerQuery<{ replies: number; cost: string; input: string; output: string }>(
      server.databaseUrl,
      `select sum(replies)::int as replies, sum(cost_micro_usd) as cost, sum(input_tokens) as input, sum(output_tokens) as output
       from ai_usage_daily where tenant_id = $1 and bot_id = $2`,
      [bot.tenantId, bot.botId],
    );
    expect({ replies: rollup!.replies, cost: Number(rollup!.cost), input: Number(rollup!.input), output: Number(rollup!.output) }).toEqual({
      replies: REPLIES,
      cost: expectedCost,
      input: expected.reduce((sum, r) => sum + r.inputTokens, 0),
      output: expected.reduce((sum, r) => sum + r.outputTokens, 0),
    });
    const [spend] = await ownerQuery<{ ai: string }>(server.databaseUrl, 'select sum(ai_cost_micro_usd) as ai from tenant_usage where tenant_id = $1', [bot.tenantId]);
    expect(Number(spend!.ai)).toBe(expectedCost);

    // The same numbers through the API, for the owner.
    const { botUsageDaily } = await graphqlOk(server.graphqlUrl, BOT_USAGE_DAILY, { botId: bot.botId }, bot.accessToken);
    const days = botUsageDaily as { replies: number; costMicroUsd: number; cacheHits: number; averageLatencyMs: number }[];
    expect(days.reduce((sum, d) => sum + d.replies, 0)).toBe(REPLIES);
    expect(days.reduce((sum, d) => sum + d.costMicroUsd, 0)).toBe(expectedCost);
    expect(days.every((d) => d.cacheHits === 0 && d.averageLatencyMs >= 0)).toBe(true);
    const { usage } = await graphqlOk(server.graphqlUrl, 'query { usage { aiSpendMicroUsd { used } } }', {}, bot.accessToken);
    expect(usage.aiSpendMicroUsd.used).toBe(expectedCost);
  }, 600_000);

  it('refuses the next message once the replies have spent the monthly budget, without calling the provider', async () => {
    const free = await publishedBot(server.graphqlUrl); // free plan: 5 dollars a month
    const session = await startConversation(free.embedId);
    await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'Expensive: how much does the Pro plan cost?' }, session.visitorToken);
    await waitForAssistantMessages(free.tenantId, 1);
    const calls = expensive.requests.length;
    const refused = await graphqlRequest(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'Expensive: and the Starter plan?' }, session.visitorToken);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'QUOTA_EXCEEDED', metric: 'aiSpendMicroUsdPerMonth' });
    expect(expensive.requests.length).toBe(calls);
  });

  it('shows the roll-ups to owners, admins and analysts only, and only for their own bots', async () => {
    const invite = async (role: string) => {
      const member = await signUpAccount(server.graphqlUrl);
      const { inviteMember } = await graphqlOk(server.graphqlUrl, INVITE_MEMBER, { input: { email: member.email, role } }, bot.accessToken);
      const { acceptInvitation } = await graphqlOk(server.graphqlUrl, ACCEPT_INVITATION, { token: inviteMember.token }, member.accessToken);
      return acceptInvitation.accessToken as string;
    };
    const codeFor = async (token: string, variables: Record<string, unknown> = { botId: bot.botId }) =>
      (await graphqlRequest(server.graphqlUrl, BOT_USAGE_DAILY, variables, token)).errors?.[0]?.extensions?.code ?? 'OK';

    expect(await codeFor(await invite('ANALYST'))).toBe('OK');
    expect(await codeFor(await invite('ADMIN'))).toBe('OK');
    expect(await codeFor(await invite('DESIGNER'))).toBe('FORBIDDEN');
    expect(await codeFor(await invite('VIEWER'))).toBe('FORBIDDEN');
    const stranger = await publishedBot(server.graphqlUrl);
    expect(await codeFor(stranger.accessToken)).toBe('NOT_FOUND');

    const bad = await graphqlRequest(server.graphqlUrl, BOT_USAGE_DAILY, { botId: bot.botId, from: '2026-02-30', to: '2025-01-01' }, bot.accessToken);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const tooLong = await graphqlRequest(server.graphqlUrl, BOT_USAGE_DAILY, { botId: bot.botId, from: '2020-01-01', to: '2026-01-01' }, bot.accessToken);
    expect(tooLong.errors?.[0]?.extensions?.['fieldErrors']).toEqual([{ field: 'to', message: 'must be less than 366 days after from' }]);
    const empty = await graphqlOk(server.graphqlUrl, BOT_USAGE_DAILY, { botId: bot.botId, from: '2020-01-01', to: '2020-01-31' }, bot.accessToken);
    expect(empty.botUsageDaily).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMascotServer, type MascotServer } from '../../app/create-server.ts';
import { loadConfig } from '../../core/config/index.ts';
import { publishedBot, signUpAccount, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest, recordSubscription, wsClient } from '../../test/graphql-test-client.ts';
import { CONVERSATION_EVENTS, CREATE_API_KEY, SEND_MESSAGE } from '../../test/operations.ts';
import { agentOnline } from '../../test/agent-online.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../../test/test-server.ts';
import { startFakeOpenAiServer, type FakeProviderServer } from '../../test/fake-openai-server.ts';
import { publishDraftChange } from '../../test/provider-chain.ts';
import { sentimentOf } from '../conversations/index.ts';
import { POSITIVE_SENTIMENT, NEGATIVE_SENTIMENT } from './analytics-recorder.ts';

const FIGURES = `conversations messages visitorMessages uniqueVisitors ttftMedianMs ttftP95Ms handedOffConversations
  resolvedWithoutHandoffShare sentiment { positive neutral negative } leads unansweredQuestions costUsd`;
const BOT_ANALYTICS = `query($botId: ID!, $from: String!, $to: String!) {
  botAnalytics(botId: $botId, from: $from, to: $to) { from to days { day ${FIGURES} } totals { ${FIGURES} } } }`;
const TENANT_ANALYTICS = `query($from: String!, $to: String!) { tenantAnalytics(from: $from, to: $to) { days { day conversations } totals { ${FIGURES} } } }`;
const TOP_QUESTIONS = `query($botId: ID!, $from: String!, $to: String!) {
  topQuestions(botId: $botId, from: $from, to: $to, limit: 10) { representative asked unanswered variants } }`;
const UNANSWERED = `query($botId: ID!, $from: String!, $to: String!) {
  unansweredQuestions(botId: $botId, from: $from, to: $to) { question unanswered asked bestScore lastAskedAt } }`;
const PLATFORM = `query($from: String!, $to: String!) { platformAnalytics(from: $from, to: $to) { tenants { tenantId tenantName conversations messages uniqueVisitors leads costUsd } } }`;
const COUNTERS = `subscription($botId: ID!) { analyticsCounters(botId: $botId) { day conversations visitorMessages messages uniqueVisitors } }`;
const START_AS = `mutation($embedId: String!, $visitorId: String) { startConversation(embedId: $embedId, visitorId: $visitorId) { conversationId visitorToken } }`;

const DAY_MS = 86_400_000;
const today = new Date().toISOString().slice(0, 10);
// Yesterday too, so the totals hold even if the run crosses midnight UTC.
const range = { from: new Date(Date.now() - DAY_MS).toISOString().slice(0, 10), to: today };

let server: TestServer;
let openai: FakeProviderServer;
let a: TenantFixture;
let b: TenantFixture;

/** One visitor conversation through the API; waits for the bot's reply to every message that gets one. */
async function converse(target: MascotServer, embedId: string, visitorId: string | null, messages: { text: string; replies: boolean }[]) {
  const { startConversation: session } = await graphqlOk(target.graphqlUrl, START_AS, { embedId, visitorId });
  const client = wsClient(target.websocketUrl, session.visitorToken);
  const events = recordSubscription(client, CONVERSATION_EVENTS, { conversationId: session.conversationId });
  await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
  let replies = 0;
  for (const { text, replies: expectReply } of messages) {
    await graphqlOk(target.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text }, session.visitorToken);
    if (!expectReply) continue;
    replies += 1;
    const wanted = replies;
    await events.waitFor(() => events.events.filter((e) => e.conversationEvents.__typename === 'ReplyCompleted').length >= wanted);
  }
  await client.dispose();
  return session.conversationId as string;
}

const QUESTIONS = {
  price: 'How much is the Pro plan?',
  support: 'When is support open?',
  priceAgain: 'Pro plan price?',
  angry: 'Support from 8 am to 8 pm is terrible, awful and annoying',
  peru: 'What is the capital of Peru?',
  lead: 'My email is ada@example.com',
  human: 'Can I talk to a human, please?',
};

beforeAll(async () => {
  // Replies through the real OpenAI SDK against a local server speaking its wire format, so they have a
  // price; retrieval still decides what counts as answered.
  openai = await startFakeOpenAiServer();
  server = await startTestServer({ OPENAI_API_KEY: 'sk-analytics-test-0123456789', OPENAI_BASE_URL: openai.url });
  a = await publishedBot(server.graphqlUrl);
  b = await publishedBot(server.graphqlUrl);
  // A person only when the visitor asks, so the unanswerable question is counted without a handoff.
  await publishDraftChange(server.graphqlUrl, a, (draft) => ({
    ...draft,
    providers: [{ provider: 'openai', model: 'gpt-4o-mini' }],
    personality: { ...draft['personality'], offerHuman: 'on-request' },
  }));
  await converse(server, a.embedId, 'visitor-one', [{ text: QUESTIONS.price, replies: true }, { text: QUESTIONS.support, replies: true }]);
  await converse(server, a.embedId, 'visitor-one', [{ text: QUESTIONS.priceAgain, replies: true }]);
  await converse(server, a.embedId, 'visitor-two', [
    { text: QUESTIONS.angry, replies: true }, { text: QUESTIONS.peru, replies: true }, { text: QUESTIONS.lead, replies: true },
  ]);
  // No visitor id (an API client): the conversation counts as its own visitor. An agent is online to be asked for.
  const agent = await agentOnline(server, a.accessToken);
  const waiting = await converse(server, a.embedId, null, [{ text: QUESTIONS.human, replies: false }]);
  // A person answers it.
  await graphqlOk(server.graphqlUrl, `mutation($id: ID!) { takeOverConversation(conversationId: $id) { conversation { status } } }`, { id: waiting }, a.accessToken);
  await graphqlOk(server.graphqlUrl, `mutation($id: ID!) { sendAgentMessage(conversationId: $id, text: "Hello, I am here.") { id } }`, { id: waiting }, a.accessToken);
  await agent.leave();
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await openai?.close();
});

describe('analytics of real conversations', () => {
  it('counts what happened: conversations, messages, visitors, handoffs, leads, sentiment, unanswered questions, costs', async () => {
    const { botAnalytics } = await graphqlOk(server.graphqlUrl, BOT_ANALYTICS, { botId: a.botId, ...range }, a.accessToken);
    const visitorTexts = Object.values(QUESTIONS);
    const negative = visitorTexts.filter((t) => sentimentOf(t) <= NEGATIVE_SENTIMENT).length;
    const positive = visitorTexts.filter((t) => sentimentOf(t) >= POSITIVE_SENTIMENT).length;
    expect(negative).toBeGreaterThanOrEqual(1); // the angry message
    await server.counters.flush(); // roll-ups are written once a second (DeferredCounters)
    const [usage] = await ownerQuery<{ cost: string }>(server.databaseUrl, 'select coalesce(sum(cost_micro_usd), 0) as cost from ai_usage_daily where bot_id = $1', [a.botId]);
    expect(Number(usage!.cost)).toBeGreaterThan(0);
    expect(botAnalytics.totals).toMatchObject({
      conversations: 4,
      visitorMessages: 7,
      // Six replies (every message but the request for a person, which went to the agents) and the agent's message.
      messages: 14,
      uniqueVisitors: 3,
      handedOffConversations: 1,
      resolvedWithoutHandoffShare: 0.75,
      sentiment: { positive, neutral: 7 - positive - negative, negative },
      leads: 1,
      // The capital of Peru and the e-mail address are not in the price list.
      unansweredQuestions: 2,
      costUsd: Number(usage!.cost) / 1_000_000,
    });
    expect(botAnalytics.days.map((d: { day: string }) => d.day)).toEqual([range.from, range.to].filter((d, i, all) => all.indexOf(d) === i));
    const todays = botAnalytics.days.at(-1);
    expect(todays.conversations + (botAnalytics.days.length > 1 ? botAnalytics.days[0].conversations : 0)).toBe(4);
  });

  it('reports the median and p95 time to first token within the histogram bound of the stored replies', async () => {
    const { botAnalytics } = await graphqlOk(server.graphqlUrl, BOT_ANALYTICS, { botId: a.botId, ...range }, a.accessToken);
    const rows = await ownerQuery<{ ttft: number }>(
      server.databaseUrl,
      `select m.time_to_first_token_ms as ttft from message m join conversation c on c.id = m.conversation_id
        where c.bot_id = $1 and m.role = 'ASSISTANT' order by 1`,
      [a.botId],
    );
    expect(rows).toHaveLength(6);
    const nearestRank = (q: number) => rows[Math.ceil(q * rows.length) - 1]!.ttft;
    for (const [reported, q] of [[botAnalytics.totals.ttftMedianMs, 0.5], [botAnalytics.totals.ttftP95Ms, 0.95]] as const) {
      // The bucket's middle is within 4.9 % of the true value, then rounded to a whole millisecond.
      expect(Math.abs(reported - nearestRank(q))).toBeLessThanOrEqual(Math.max(1, nearestRank(q) * 0.049 + 0.5));
    }
  });

  it('groups top questions by meaning and lists the unanswered ones without personal data', async () => {
    const { topQuestions } = await graphqlOk(server.graphqlUrl, TOP_QUESTIONS, { botId: a.botId, ...range }, a.accessToken);
    const price = topQuestions.find((g: { representative: string }) => g.representative === QUESTIONS.price);
    expect(price).toMatchObject({ asked: 2, unanswered: 0, variants: [QUESTIONS.priceAgain] });
    expect(topQuestions.reduce((sum: number, g: { asked: number }) => sum + g.asked, 0)).toBe(7);

    const { unansweredQuestions } = await graphqlOk(server.graphqlUrl, UNANSWERED, { botId: a.botId, ...range }, a.accessToken);
    expect(unansweredQuestions.map((q: { question: string }) => q.question).sort()).toEqual(['My email is [email]', QUESTIONS.peru]);
    for (const question of unansweredQuestions) {
      expect(question).toMatchObject({ unanswered: 1, asked: 1 });
      expect(question.bestScore === null || question.bestScore < 0.3).toBe(true);
    }
  });

  it('adds up the tenant across bots and leaves other tenants at zero', async () => {
    const { tenantAnalytics } = await graphqlOk(server.graphqlUrl, TENANT_ANALYTICS, range, a.accessToken);
    expect(tenantAnalytics.totals).toMatchObject({ conversations: 4, messages: 14, uniqueVisitors: 3, leads: 1 });
    const other = await graphqlOk(server.graphqlUrl, TENANT_ANALYTICS, range, b.accessToken);
    expect(other.tenantAnalytics.totals).toMatchObject({ conversations: 0, messages: 0, uniqueVisitors: 0, leads: 0, costUsd: 0, ttftMedianMs: null });
  });

  it('refuses bad ranges with BAD_USER_INPUT and answers a past range with zeros', async () => {
    for (const bad of [{ from: '2026-02-01', to: '2026-01-01' }, { from: '2025-01-01', to: '2026-03-01' }, { from: 'yesterday', to: today }]) {
      const result = await graphqlRequest(server.graphqlUrl, BOT_ANALYTICS, { botId: a.botId, ...bad }, a.accessToken);
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(bad)).toBe('BAD_USER_INPUT');
    }
    const year = await graphqlOk(server.graphqlUrl, BOT_ANALYTICS, { botId: a.botId, from: '2025-01-01', to: '2026-01-01' }, a.accessToken);
    expect(year.botAnalytics.days).toHaveLength(366);
    expect(year.botAnalytics.totals).toMatchObject({ conversations: 0, resolvedWithoutHandoffShare: null, ttftP95Ms: null });
  });

  it('lets analytics API keys read, and refuses keys without the scope', async () => {
    const { createApiKey: reader } = await graphqlOk(server.graphqlUrl, CREATE_API_KEY, { input: { name: 'BI', scopes: ['ANALYTICS'] } }, a.accessToken);
    const { createApiKey: other } = await graphqlOk(server.graphqlUrl, CREATE_API_KEY, { input: { name: 'CRM', scopes: ['READ', 'WRITE'] } }, a.accessToken);
    const read = await graphqlOk(server.graphqlUrl, BOT_ANALYTICS, { botId: a.botId, ...range }, reader.secret);
    expect(read.botAnalytics.totals.conversations).toBe(4);
    const refused = await graphqlRequest(server.graphqlUrl, BOT_ANALYTICS, { botId: a.botId, ...range }, other.secret);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("answers NOT_FOUND to another tenant for every analytics field taking a bot id, over HTTP, graphql-ws and CSV", async () => {
    for (const document of [BOT_ANALYTICS, TOP_QUESTIONS, UNANSWERED]) {
      const result = await graphqlRequest(server.graphqlUrl, document, { botId: a.botId, ...range }, b.accessToken);
      expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(result.data).toBeNull();
    }
    const client = wsClient(server.websocketUrl, b.accessToken);
    const counters = recordSubscription(client, COUNTERS, { botId: a.botId });
    await expect(counters.waitFor(() => true)).rejects.toSatisfy((errors: any) => errors[0].extensions.code === 'NOT_FOUND');
    await client.dispose();
    const csv = await fetch(`${server.url}/analytics/export.csv?botId=${a.botId}&from=${range.from}&to=${range.to}`, { headers: { authorization: `Bearer ${b.accessToken}` } });
    expect(csv.status).toBe(404);
    expect(await csv.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('shows every tenant to platform admins only', async () => {
    const stranger = await graphqlRequest(server.graphqlUrl, PLATFORM, range, b.accessToken);
    expect(stranger.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { createApiKey: key } = await graphqlOk(server.graphqlUrl, CREATE_API_KEY, { input: { name: 'all', scopes: ['READ', 'ANALYTICS'] } }, a.accessToken);
    expect((await graphqlRequest(server.graphqlUrl, PLATFORM, range, key.secret)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await graphqlRequest(server.graphqlUrl, PLATFORM, range)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const operator = await signUpAccount(server.graphqlUrl, 'Operator');
    await ownerQuery(server.databaseUrl, 'update app_user set is_platform_admin = true where id = $1', [operator.userId]);
    const { platformAnalytics } = await graphqlOk(server.graphqlUrl, PLATFORM, range, operator.accessToken);
    const tenantA = platformAnalytics.tenants.find((t: { tenantId: string }) => t.tenantId === a.tenantId);
    expect(tenantA).toMatchObject({ conversations: 4, messages: 14, uniqueVisitors: 3, leads: 1 });
    expect(tenantA.costUsd).toBeGreaterThan(0);
    expect(platformAnalytics.tenants.some((t: { tenantId: string }) => t.tenantId === b.tenantId)).toBe(false);
  });

  it('exports CSV with a filename, one line per day and the totals, for the API credentials only', async () => {
    const url = `${server.url}/analytics/export.csv?botId=${a.botId}&from=${range.from}&to=${range.to}`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${a.accessToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="mascot-analytics-bot-${a.botId.slice(0, 8)}-${range.from}-${range.to}.csv"`);
    const lines = (await response.text()).trim().split('\n');
    expect(lines[0]).toBe('day,conversations,messages,visitor_messages,unique_visitors,ttft_median_ms,ttft_p95_ms,handed_off_conversations,' +
      'resolved_without_handoff_share,sentiment_positive,sentiment_neutral,sentiment_negative,leads,unanswered_questions,cost_usd,' +
      'helpful_answers,unhelpful_answers,helpful_share,csat_responses,csat_average,csat_satisfied_share');
    // No visitor rated anything here: zero counts, empty shares and average.
    expect(lines.at(-1)).toMatch(/^total,4,14,7,3,\d+,\d+,1,0\.75,\d+,\d+,\d+,1,2,0\.\d{6},0,0,,0,,$/);
    expect(lines).toHaveLength(2 + (range.from === range.to ? 1 : 2));

    const tenantWide = await fetch(`${server.url}/analytics/export.csv?from=${range.from}&to=${range.to}`, { headers: { authorization: `Bearer ${a.accessToken}` } });
    expect(tenantWide.headers.get('content-disposition')).toContain('mascot-analytics-tenant-');
    expect((await fetch(url)).status).toBe(401);
    const { createApiKey: readOnly } = await graphqlOk(server.graphqlUrl, CREATE_API_KEY, { input: { name: 'ro', scopes: ['READ'] } }, a.accessToken);
    expect((await fetch(url, { headers: { authorization: `Bearer ${readOnly.secret}` } })).status).toBe(403);
    const bad = await fetch(`${server.url}/analytics/export.csv?botId=${a.botId}&from=${today}&to=${range.from}`, { headers: { authorization: `Bearer ${a.accessToken}` } });
    expect(bad.status).toBe(range.from === today ? 200 : 422);
  });

  it('streams live counters for today, updated after each change and ended when the client leaves', async () => {
    const client = wsClient(server.websocketUrl, a.accessToken);
    const counters = recordSubscription(client, COUNTERS, { botId: a.botId });
    const first = await counters.waitFor(() => true);
    await converse(server, a.embedId, 'visitor-three', [{ text: QUESTIONS.support, replies: true }]);
    const updated = await counters.waitFor((e) => e.analyticsCounters.visitorMessages === first.analyticsCounters.visitorMessages + 1 &&
      e.analyticsCounters.messages === first.analyticsCounters.messages + 2);
    expect(updated.analyticsCounters).toMatchObject({ day: today, conversations: first.analyticsCounters.conversations + 1, uniqueVisitors: first.analyticsCounters.uniqueVisitors + 1 });
    await client.dispose();
    // The idle subscription (waiting for the next notice) ends at once rather than at the next change.
    const open = async () => /^mascot_active_subscriptions (\d+)$/m.exec(await (await fetch(`${server.url}/metrics`)).text())?.[1];
    for (let i = 0; i < 100 && (await open()) !== '0'; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await open()).toBe('0');
  });
});

// Two instances share state only through a real PostgreSQL and NATS.
describe.skipIf(!process.env['DATABASE_URL'] || !process.env['NATS_URL'])('live counters across server instances', () => {
  let second: MascotServer;
  beforeAll(async () => {
    second = await startMascotServer(loadConfig({
      NODE_ENV: 'test', PORT: '0', MASCOT_JWT_SECRET: TEST_JWT_SECRET, MASCOT_SEED_DEMO: 'false', MASCOT_OFFLINE_TOKEN_DELAY_MS: '0',
      LOG_LEVEL: 'silent', DATABASE_URL: server.databaseUrl, NATS_URL: process.env['NATS_URL']!,
      MASCOT_DATA_DIR: `${process.env['TMPDIR'] ?? '/tmp'}/mascot-analytics-second-${Date.now()}`, MASCOT_JOBS_NAMESPACE: `a${Date.now()}`,
    }));
  });
  afterAll(async () => {
    await second?.close();
  });

  it('updates a subscriber on instance 1 after a conversation on instance 2', async () => {
    const client = wsClient(server.websocketUrl, a.accessToken);
    const counters = recordSubscription(client, COUNTERS, { botId: a.botId });
    const first = await counters.waitFor(() => true);
    await converse(second, a.embedId, 'visitor-four', [{ text: QUESTIONS.price, replies: true }]);
    await counters.waitFor((e) => e.analyticsCounters.conversations === first.analyticsCounters.conversations + 1 &&
      e.analyticsCounters.messages === first.analyticsCounters.messages + 2);
    await client.dispose();
  });
});

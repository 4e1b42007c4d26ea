import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedBot, signUpAccount } from '../test/fixtures.ts';
import { graphqlOk, graphqlRequest } from '../test/graphql-test-client.ts';
import { LOG_IN } from '../test/operations.ts';
import { ownerQuery } from '../test/owner-database.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';
import { discardingOutbox } from '../core/events/index.ts';
import { DEMO_DAYS, seedDemoConversationsOnce } from './demo-conversations.ts';
import { DEMO_EMAIL } from './demo-seed.ts';

/*
 * The demo tenant's fortnight of conversations (issue 17: "the charts are not empty on first start"):
 * written as the real paths store them, so every report the Console draws agrees with the stored rows.
 */
const PASSWORD = 'demo-password-for-tests';
const DAY_MS = 86_400_000;
const to = new Date().toISOString().slice(0, 10);
const from = new Date(Date.now() - (DEMO_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);

const FIGURES = `conversations messages visitorMessages uniqueVisitors ttftMedianMs ttftP95Ms handedOffConversations
  resolvedWithoutHandoffShare sentiment { positive neutral negative } leads unansweredQuestions costUsd
  feedback { helpfulAnswers unhelpfulAnswers csatResponses csatAverage }`;

let server: TestServer;
let token: string;
let botId: string;

beforeAll(async () => {
  server = await startTestServer({ MASCOT_SEED_DEMO: 'true', MASCOT_DEMO_PASSWORD: PASSWORD });
  // Written in the background after the server starts (a few seconds on PGlite).
  expect(await server.demo!.conversationsSeeded).toBeGreaterThan(0);
  const { logIn } = await graphqlOk(server.graphqlUrl, LOG_IN, { input: { email: DEMO_EMAIL, password: PASSWORD } });
  token = logIn.accessToken;
  const { bots } = await graphqlOk(server.graphqlUrl, `{ bots(first: 5) { edges { node { id name } } } }`, {}, token);
  botId = bots.edges[0].node.id;
});

afterAll(async () => {
  await server?.stop();
});

describe('the demo tenant', () => {
  it("has a fortnight of conversations whose analytics equal the stored rows", async () => {
    const { botAnalytics } = await graphqlOk(
      server.graphqlUrl,
      `query($botId: ID!, $from: String!, $to: String!) { botAnalytics(botId: $botId, from: $from, to: $to) { days { day conversations } totals { ${FIGURES} } } }`,
      { botId, from, to },
      token,
    );
    const totals = botAnalytics.totals;
    const [stored] = await ownerQuery(
      server.databaseUrl,
      `select (select count(*)::int from conversation where bot_id = $1) as conversations,
              (select count(*)::int from message m join conversation c on c.id = m.conversation_id where c.bot_id = $1 and m.role <> 'SYSTEM') as messages,
              (select count(distinct visitor_id)::int from conversation where bot_id = $1) as visitors,
              (select count(*)::int from lead where bot_id = $1) as leads,
              (select count(*)::int from conversation where bot_id = $1 and handoff_requested_at is not null) as handoffs,
              (select coalesce(sum(cost_micro_usd), 0)::bigint from message m join conversation c on c.id = m.conversation_id where c.bot_id = $1) as cost,
              (select count(*)::int from answer_feedback where bot_id = $1 and helpful) as helpful,
              (select count(*)::int from conversation_rating where bot_id = $1) as ratings`,
      [botId],
    );
    expect(totals.conversations).toBeGreaterThanOrEqual(DEMO_DAYS * 2);
    expect(totals.conversations).toBe(stored!.conversations);
    expect(totals.messages).toBe(stored!.messages);
    expect(totals.uniqueVisitors).toBe(stored!.visitors);
    expect(totals.uniqueVisitors).toBeLessThan(totals.conversations); // some visitors came back
    expect(totals.leads).toBe(stored!.leads);
    expect(totals.leads).toBeGreaterThan(0);
    expect(totals.handedOffConversations).toBe(stored!.handoffs);
    expect(totals.handedOffConversations).toBeGreaterThan(0);
    expect(Math.round(totals.costUsd * 1_000_000)).toBe(Number(stored!.cost));
    expect(totals.costUsd).toBeGreaterThan(0);
    expect(totals.feedback.helpfulAnswers).toBe(stored!.helpful);
    expect(totals.feedback.csatResponses).toBe(stored!.ratings);
    expect(totals.ttftMedianMs).toBeGreaterThan(0);
    expect(totals.ttftP95Ms).toBeGreaterThanOrEqual(totals.ttftMedianMs);
    expect(totals.unansweredQuestions).toBeGreaterThan(0);
    expect(totals.sentiment.positive).toBeGreaterThan(0);
    expect(totals.sentiment.negative).toBeGreaterThan(0);
    // Every day of the fortnight has conversations, today included.
    expect(botAnalytics.days).toHaveLength(DEMO_DAYS);
    for (const day of botAnalytics.days) expect(day.conversations, day.day).toBeGreaterThan(0);
  });

  it("costs per provider and model add up to the bot's cost and equal the stored replies", async () => {
    const { costsByModel, botAnalytics } = await graphqlOk(
      server.graphqlUrl,
      `query($botId: ID!, $from: String!, $to: String!) {
        costsByModel(botId: $botId, from: $from, to: $to) { provider model replies inputTokens outputTokens costUsd }
        botAnalytics(botId: $botId, from: $from, to: $to) { totals { costUsd } } }`,
      { botId, from, to },
      token,
    );
    const stored = await ownerQuery(
      server.databaseUrl,
      `select m.provider, m.model, count(*)::int as replies, sum(m.input_tokens)::int as input_tokens, sum(m.output_tokens)::int as output_tokens,
              sum(m.cost_micro_usd)::bigint as cost
       from message m join conversation c on c.id = m.conversation_id
       where c.bot_id = $1 and m.role = 'ASSISTANT' group by 1, 2 order by sum(m.cost_micro_usd) desc`,
      [botId],
    );
    expect(costsByModel.map((c: Record<string, unknown>) => [c['provider'], c['model'], c['replies'], c['inputTokens'], c['outputTokens'], Math.round(Number(c['costUsd']) * 1e6)]))
      .toEqual(stored.map((r) => [r['provider'], r['model'], r['replies'], r['input_tokens'], r['output_tokens'], Number(r['cost'])]));
    expect(costsByModel.length).toBe(2);
    const sum = costsByModel.reduce((total: number, c: { costUsd: number }) => total + Math.round(c.costUsd * 1e6), 0);
    expect(sum).toBe(Math.round(botAnalytics.totals.costUsd * 1e6));
    // Another tenant asking for this bot's costs is told it does not exist.
    const stranger = await signUpAccount(server.graphqlUrl, 'Stranger Inc');
    const refused = await graphqlRequest(server.graphqlUrl, `query($botId: ID!, $from: String!, $to: String!) { costsByModel(botId: $botId, from: $from, to: $to) { model } }`, { botId, from, to }, stranger.accessToken);
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    expect((await graphqlOk(server.graphqlUrl, `query($from: String!, $to: String!) { costsByModel(from: $from, to: $to) { model } }`, { from, to }, stranger.accessToken)).costsByModel).toEqual([]);
    // The tenant's view (no botId) is the same here: the demo tenant has one bot.
    const tenant = await graphqlOk(server.graphqlUrl, `query($from: String!, $to: String!) { costsByModel(from: $from, to: $to) { model replies } }`, { from, to }, token);
    expect(tenant.costsByModel.map((c: { model: string }) => c.model)).toEqual(costsByModel.map((c: { model: string }) => c.model));
  });

  it('is written once: seeding again (a restart) adds nothing', async () => {
    const [before] = await ownerQuery(server.databaseUrl, `select count(*)::int as n from conversation where bot_id = $1`, [botId]);
    const [bot] = await ownerQuery(server.databaseUrl, `select tenant_id, live_version_id from bot where id = $1`, [botId]);
    const again = await seedDemoConversationsOnce(
      { em: server.orm.em.fork() as never, outbox: discardingOutbox, counters: server.counters as never },
      { tenantId: bot!.tenant_id, botId, botVersionId: bot!.live_version_id },
    );
    expect(again).toBe(0);
    const [after] = await ownerQuery(server.databaseUrl, `select count(*)::int as n from conversation where bot_id = $1`, [botId]);
    expect(after!.n).toBe(before!.n);
  });

  it('has conversations on every day of the fortnight even when seeded in the first minutes of a UTC day', async () => {
    // 00:05 UTC: no office hour of "today" has started yet, so today's conversations start between midnight and now.
    const now = new Date(Date.UTC(2026, 0, 15, 0, 5));
    const other = await publishedBot(server.graphqlUrl);
    const [version] = await ownerQuery(server.databaseUrl, `select live_version_id from bot where id = $1`, [other.botId]);
    const seeded = await seedDemoConversationsOnce(
      { em: server.orm.em.fork() as never, outbox: discardingOutbox, counters: server.counters as never },
      { tenantId: other.tenantId, botId: other.botId, botVersionId: version!.live_version_id },
      now,
    );
    expect(seeded).toBeGreaterThan(0);
    const days = await ownerQuery<{ day: string; first: Date; last: Date }>(
      server.databaseUrl,
      `select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, min(created_at) as first, max(created_at) as last
       from conversation where bot_id = $1 group by 1 order by 1`,
      [other.botId],
    );
    expect(days).toHaveLength(DEMO_DAYS);
    expect(days.at(-1)!.day).toBe('2026-01-15');
    expect(days.at(-1)!.first.getTime()).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 15));
    expect(days.at(-1)!.last.getTime()).toBeLessThanOrEqual(now.getTime());
  });

  it('lists the conversations, leads and unanswered questions the Console shows', async () => {
    const data = await graphqlOk(
      server.graphqlUrl,
      `query($botId: ID!, $from: String!, $to: String!) {
        conversations(first: 5, filter: { botId: $botId, handedOff: true }) { totalCount edges { node { id messageCount } } }
        leads(first: 5) { totalCount edges { node { email wantsContact } } }
        unansweredQuestions(botId: $botId, from: $from, to: $to) { question unanswered }
        topQuestions(botId: $botId, from: $from, to: $to, limit: 5) { representative asked }
      }`,
      { botId, from, to },
      token,
    );
    expect(data.conversations.totalCount).toBeGreaterThan(0);
    expect(data.leads.edges[0].node.email).toMatch(/@example\.com$/);
    expect(data.unansweredQuestions.map((q: { question: string }) => q.question).join(' ')).toMatch(/SAP|PayPal|non-profit|Okta/i);
    expect(data.topQuestions[0].asked).toBeGreaterThan(1);
  });
});

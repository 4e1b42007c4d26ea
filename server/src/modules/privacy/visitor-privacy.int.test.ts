import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest } from '../../test/graphql-test-client.ts';
import { AUDIT_LOG, CREATE_API_KEY } from '../../test/operations.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';
import { visitorActivity, type VisitorActivity } from '../../test/visitor-activity.ts';

const EXPORT = /* GraphQL */ `
  mutation($visitor: VisitorSubjectInput!) { exportVisitorData(visitor: $visitor) { conversationCount messageCount leadCount feedbackCount data } }`;
const ERASE = /* GraphQL */ `
  mutation($visitor: VisitorSubjectInput!) { eraseVisitorData(visitor: $visitor) { conversationCount messageCount leadCount feedbackCount } }`;
const FIGURES = 'conversations messages visitorMessages leads handedOffConversations sentiment { positive neutral negative } feedback { helpfulAnswers csatResponses csatDistribution }';
const ANALYTICS = /* GraphQL */ `
  query($botId: ID!, $from: String!, $to: String!) {
    botAnalytics(botId: $botId, from: $from, to: $to) { totals { ${FIGURES} uniqueVisitors } }
    topQuestions(botId: $botId, from: $from, to: $to, limit: 50) { representative variants }
  }`;

type Result = { errors?: { extensions?: { code?: string } }[] };
const code = (result: Result) => result.errors?.[0]?.extensions?.code;

const ALICE = { visitorId: 'visitor-alice-0001', email: 'alice.visitor@example.com', question: 'Does the Pro plan include unlimited projects for Alicorn Labs?' };
const BOB = { visitorId: 'visitor-bob-00001', email: 'bob.visitor@example.com', question: 'Is the Starter plan free for Bobcat Bakery?' };

let server: TestServer;
let tenant: TenantFixture;
let alice: VisitorActivity[];
let bob: VisitorActivity;

/** Rows kept about a set of conversations, per table, read as the database owner (past row-level security). */
async function rowsAbout(conversationIds: string[]) {
  const counts: Record<string, number> = {};
  for (const [table, column] of [
    ['conversation', 'id'], ['message', 'conversation_id'], ['lead', 'conversation_id'], ['answer_feedback', 'conversation_id'],
    ['conversation_rating', 'conversation_id'], ['analytics_conversation', 'conversation_id'],
  ] as const) {
    const [row] = await ownerQuery<{ n: number }>(server.databaseUrl, `select count(*)::int as n from ${table} where ${column} = any($1::uuid[])`, [conversationIds]);
    counts[table] = row!.n;
  }
  return counts;
}
const visitorDays = async (visitorId: string) =>
  (await ownerQuery<{ n: number }>(server.databaseUrl, 'select count(*)::int as n from analytics_visitor_day where visitor_key = $1', [visitorId]))[0]!.n;

async function analytics() {
  await server.counters.flush();
  const day = new Date().toISOString().slice(0, 10);
  return graphqlOk(server.graphqlUrl, ANALYTICS, { botId: tenant.botId, from: day, to: day }, tenant.accessToken);
}

beforeAll(async () => {
  server = await startTestServer();
  tenant = await publishedBot(server.graphqlUrl);
  // Alice talks twice with the same widget visitor id; she leaves her address only in the first conversation.
  alice = [
    await visitorActivity(server, tenant.embedId, ALICE),
    await visitorActivity(server, tenant.embedId, { ...ALICE, email: 'alice.other@example.com', question: 'What are the support hours for Alicorn Labs?' }),
  ];
  bob = await visitorActivity(server, tenant.embedId, BOB);
});
afterAll(() => server?.stop());

const call = (query: string, visitor: Record<string, unknown>, token = tenant.accessToken) => graphqlRequest(server.graphqlUrl, query, { visitor }, token);

describe('visitor privacy (GDPR export and erasure)', { timeout: 120_000 }, () => {
  it('exports everything about a visitor found by email — all their conversations, messages, lead and feedback — and nothing of others', async () => {
    const byEmail = (await call(EXPORT, { email: ' Alice.Visitor@Example.com ' })).data?.['exportVisitorData'] as Record<string, any>;
    expect(byEmail).toMatchObject({ conversationCount: 2, leadCount: 2, feedbackCount: 4 });
    expect(byEmail['messageCount']).toBeGreaterThanOrEqual(4);
    const conversations = byEmail['data'].conversations as any[];
    expect(conversations.map((c) => c.id)).toEqual(alice.map((a) => a.conversationId));
    expect(conversations[0].messages.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining([alice[0]!.visitorMessageId, alice[0]!.replyMessageId]));
    expect(conversations[0].messages.find((m: { id: string }) => m.id === alice[0]!.visitorMessageId)).toMatchObject({ role: 'VISITOR', text: ALICE.question });
    expect(conversations[0].lead).toMatchObject({ name: 'Ada Visitor', email: ALICE.email });
    expect(conversations[0].rating).toMatchObject({ rating: 5 });
    expect(conversations[0].answerFeedback).toEqual([expect.objectContaining({ messageId: alice[0]!.replyMessageId, helpful: true })]);
    const text = JSON.stringify(byEmail['data']);
    expect(text).not.toContain(BOB.question);
    expect(text).not.toContain(BOB.email);

    const byVisitor = (await call(EXPORT, { visitorId: ALICE.visitorId })).data?.['exportVisitorData'] as Record<string, any>;
    expect(byVisitor['data'].conversations.map((c: { id: string }) => c.id)).toEqual(alice.map((a) => a.conversationId));
  });

  it('refuses a subject that is not exactly one valid visitor id or email, and members and keys without privacy rights', async () => {
    for (const visitor of [{}, { visitorId: ALICE.visitorId, email: ALICE.email }, { email: 'not an email' }, { visitorId: 'bad id!' }, { visitorId: '' }]) {
      expect(code(await call(EXPORT, visitor)), JSON.stringify(visitor)).toBe('BAD_USER_INPUT');
      expect(code(await call(ERASE, visitor)), JSON.stringify(visitor)).toBe('BAD_USER_INPUT');
    }
    const fields = async (visitor: Record<string, unknown>) =>
      ((await call(ERASE, visitor)).errors?.[0]?.extensions as { fieldErrors?: { field: string }[] }).fieldErrors?.map((e) => e.field);
    expect(await fields({ email: 'not an email' })).toEqual(['visitor.email']);
    expect(await fields({ visitorId: 'bad id!' })).toEqual(['visitor.visitorId']);
    expect(await fields({})).toEqual(['visitor']);
    const { createApiKey } = await graphqlOk(server.graphqlUrl, CREATE_API_KEY, { input: { name: 'everything', scopes: ['READ', 'WRITE', 'PUBLISH', 'ANALYTICS'] } }, tenant.accessToken);
    expect(code(await call(EXPORT, { visitorId: ALICE.visitorId }, createApiKey.secret))).toBe('FORBIDDEN');
    expect(code(await call(ERASE, { visitorId: ALICE.visitorId }, createApiKey.secret))).toBe('FORBIDDEN');
    expect(code(await call(EXPORT, { visitorId: ALICE.visitorId }, ''))).toBe('UNAUTHENTICATED');
  });

  it("never reaches another tenant's visitors", async () => {
    const stranger = await publishedBot(server.graphqlUrl);
    const exported = (await call(EXPORT, { visitorId: ALICE.visitorId }, stranger.accessToken)).data?.['exportVisitorData'];
    expect(exported).toMatchObject({ conversationCount: 0, messageCount: 0, leadCount: 0, feedbackCount: 0, data: { conversations: [] } });
    const erased = (await call(ERASE, { email: ALICE.email }, stranger.accessToken)).data?.['eraseVisitorData'];
    expect(erased).toEqual({ conversationCount: 0, messageCount: 0, leadCount: 0, feedbackCount: 0 });
    expect((await rowsAbout(alice.map((a) => a.conversationId)))['conversation']).toBe(2);
  });

  it('erases nothing when any part of the erasure fails (one transaction)', async () => {
    const ids = alice.map((a) => a.conversationId);
    const before = await rowsAbout(ids);
    // A real failure inside the database, late in the erasure: deleting the visitor's lead is refused.
    await ownerQuery(server.databaseUrl, `create function refuse_lead_delete() returns trigger language plpgsql as $$
      begin raise exception 'refused for the test'; end $$`);
    await ownerQuery(server.databaseUrl, 'create trigger refuse_lead_delete before delete on lead for each row execute function refuse_lead_delete()');
    try {
      expect(code(await call(ERASE, { visitorId: ALICE.visitorId }))).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await ownerQuery(server.databaseUrl, 'drop trigger refuse_lead_delete on lead');
      await ownerQuery(server.databaseUrl, 'drop function refuse_lead_delete()');
    }
    expect(await rowsAbout(ids)).toEqual(before);
    expect(await visitorDays(ALICE.visitorId)).toBeGreaterThan(0);
  });

  it("erases the visitor's conversations, messages, leads and feedback, keeps analytics counters, and leaves other visitors alone", async () => {
    const aliceIds = alice.map((a) => a.conversationId);
    const bobBefore = await rowsAbout([bob.conversationId]);
    const before = await analytics();
    expect(JSON.stringify(before.topQuestions)).toContain('Alicorn');

    const erased = (await call(ERASE, { visitorId: ALICE.visitorId })).data?.['eraseVisitorData'] as Record<string, number>;
    expect(erased).toMatchObject({ conversationCount: 2, leadCount: 2, feedbackCount: 4 });
    expect(erased['messageCount']).toBeGreaterThanOrEqual(4);

    expect(Object.values(await rowsAbout(aliceIds)).every((n) => n === 0)).toBe(true);
    expect(await visitorDays(ALICE.visitorId)).toBe(0);
    expect(await rowsAbout([bob.conversationId])).toEqual(bobBefore);
    expect(await visitorDays(BOB.visitorId)).toBeGreaterThan(0);

    const after = await analytics();
    const { uniqueVisitors: visitorsBefore, ...countersBefore } = before.botAnalytics.totals;
    const { uniqueVisitors: visitorsAfter, ...countersAfter } = after.botAnalytics.totals;
    expect(countersAfter).toEqual(countersBefore);
    expect(visitorsAfter).toBe(visitorsBefore - 1);
    const questions = JSON.stringify(after.topQuestions);
    expect(questions).not.toContain('Alicorn');
    expect(questions).toContain('Bobcat');

    const again = (await call(EXPORT, { email: ALICE.email })).data?.['exportVisitorData'];
    expect(again).toMatchObject({ conversationCount: 0, messageCount: 0, leadCount: 0, feedbackCount: 0 });

    // Audited, without the personal data itself.
    const audit = await graphqlOk(server.graphqlUrl, AUDIT_LOG, { first: 20 }, tenant.accessToken);
    const entries = audit.auditLog.edges.map((e: { node: { action: string; metadata: Record<string, unknown> } }) => e.node);
    expect(entries.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['privacy.visitor_exported', 'privacy.visitor_erased']));
    const privacyEntries = JSON.stringify(entries.filter((e: { action: string }) => e.action.startsWith('privacy.')));
    for (const personal of [ALICE.visitorId, ALICE.email, 'alice', 'Ada Visitor', 'Alicorn']) expect(privacyEntries.toLowerCase()).not.toContain(personal.toLowerCase());
    expect(entries.find((e: { action: string }) => e.action === 'privacy.visitor_erased').metadata).toMatchObject({ by: 'visitorId', conversations: 2, leads: 2 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineProvider, type AiProvider } from '../ai/index.ts';
import { publishedBot, signUpAccount } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest } from '../../test/graphql-test-client.ts';
import { ADD_KNOWLEDGE_TEXT, CREATE_BOT, SEND_MESSAGE, START_CONVERSATION } from '../../test/operations.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

const USAGE = /* GraphQL */ `
  query { usage { plan period resetsAt bots { used limit } messages { used limit } knowledgeBytes { used limit } aiSpendMicroUsd { used limit } } }`;

let server: TestServer;
let providerCalls = 0;
beforeAll(async () => {
  const offline = createOfflineProvider({ tokenDelayMs: 0 });
  const counting: AiProvider = { name: 'counting', streamReply: (request) => (providerCalls++, offline.streamReply(request)) };
  server = await startTestServer({}, { provider: counting });
});
afterAll(() => server?.stop());

type Result = { errors?: { extensions?: { code?: string; [key: string]: unknown } }[] };
const code = (result: Result) => result.errors?.[0]?.extensions?.code;

describe('plan limits', () => {
  it('reports the plan, its limits and what this month used', async () => {
    const bot = await publishedBot(server.graphqlUrl);
    const { usage } = await graphqlOk(server.graphqlUrl, USAGE, {}, bot.accessToken);
    expect(usage).toMatchObject({ plan: 'free', bots: { used: 1, limit: 3 }, messages: { used: 0, limit: 1000 } });
    expect(usage.knowledgeBytes.used).toBeGreaterThan(100);
    expect(usage.period).toMatch(/^\d{4}-\d{2}$/);
  });

  it('allows exactly the plan\'s number of bots even when requests race', async () => {
    const owner = await signUpAccount(server.graphqlUrl);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => graphqlRequest(server.graphqlUrl, CREATE_BOT, { input: { name: `Bot ${i}` } }, owner.accessToken)),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(3);
    const refused = results.filter((r) => r.errors);
    for (const result of refused) {
      expect(code(result)).toBe('QUOTA_EXCEEDED');
      expect(result.errors![0]!.extensions).toMatchObject({ metric: 'bots', limit: 3 });
    }
  });

  it('counts messages race-free and refuses the rest with a retry-after, storing nothing for them', async () => {
    const bot = await publishedBot(server.graphqlUrl);
    await ownerQuery(server.databaseUrl, `insert into tenant_usage (tenant_id, period, messages) values ($1, to_char(now() at time zone 'utc', 'YYYY-MM'), 998)`, [bot.tenantId]);
    const { startConversation: session } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        graphqlRequest(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: `question ${i}` }, session.visitorToken),
      ),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(2);
    for (const refused of results.filter((r) => r.errors)) {
      expect(code(refused)).toBe('QUOTA_EXCEEDED');
      expect(refused.errors![0]!.extensions!['retryAfter']).toBeGreaterThan(0);
    }
    const [stored] = await ownerQuery<{ n: number }>(server.databaseUrl, `select count(*)::int as n from message where conversation_id = $1 and role = 'VISITOR'`, [session.conversationId]);
    expect(stored!.n).toBe(2);
  });

  it('never calls the AI provider once the monthly AI budget is spent', async () => {
    const bot = await publishedBot(server.graphqlUrl);
    await ownerQuery(server.databaseUrl, `insert into tenant_usage (tenant_id, period, ai_cost_micro_usd) values ($1, to_char(now() at time zone 'utc', 'YYYY-MM'), 5000000)`, [bot.tenantId]);
    const { startConversation: session } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
    const before = providerCalls;
    const result = await graphqlRequest(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'hello' }, session.visitorToken);
    expect(code(result)).toBe('QUOTA_EXCEEDED');
    expect(result.errors![0]!.extensions).toMatchObject({ metric: 'aiSpendMicroUsdPerMonth' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(providerCalls).toBe(before);
  });

  it('refuses knowledge beyond the storage limit and keeps nothing of it', async () => {
    const bot = await publishedBot(server.graphqlUrl);
    await ownerQuery(server.databaseUrl, `update knowledge_document set size_bytes = 5 * 1024 * 1024 - 50 where tenant_id = $1`, [bot.tenantId]);
    const result = await graphqlRequest(server.graphqlUrl, ADD_KNOWLEDGE_TEXT, { botId: bot.botId, input: { title: 'Too much', text: 'x'.repeat(100) + ' words' } }, bot.accessToken);
    expect(code(result)).toBe('QUOTA_EXCEEDED');
    const [docs] = await ownerQuery<{ n: number }>(server.databaseUrl, `select count(*)::int as n from knowledge_document where tenant_id = $1`, [bot.tenantId]);
    expect(docs!.n).toBe(1);
  });
});

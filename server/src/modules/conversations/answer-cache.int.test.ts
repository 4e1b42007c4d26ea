import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, recordSubscription, wsClient } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { CONVERSATION_EVENTS_AFTER, SEND_MESSAGE, START_CONVERSATION } from '../../test/operations.ts';
import { publishDraftChange } from '../../test/provider-chain.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';
import { scriptedProvider } from './reply-test-kit.ts';

const provider = scriptedProvider({ provider: 'openai', model: 'gpt-4o-mini', answer: (request) => `The Pro plan costs 29 dollars (${request.question}).` });
let server: TestServer;
let bot: TenantFixture;

beforeAll(async () => {
  server = await startTestServer({}, { provider });
  bot = await publishedBot(server.graphqlUrl);
});
afterAll(() => server?.stop());

/** Asks in a conversation (a new one unless given) and returns the streamed deltas and the stored reply. */
async function ask(embedId: string, text: string, existing?: { conversationId: string; visitorToken: string }) {
  const session = existing ?? (await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId })).startConversation;
  const client = wsClient(server.websocketUrl, session.visitorToken);
  const events = recordSubscription(client, CONVERSATION_EVENTS_AFTER, { conversationId: session.conversationId });
  await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
  await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text }, session.visitorToken);
  const done = await events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
  await client.dispose();
  const deltas = events.events.filter((e) => e.conversationEvents.__typename === 'ReplyDelta').map((e) => e.conversationEvents.delta);
  const [stored] = await ownerQuery(server.databaseUrl, 'select cache_hit, provider, cost_micro_usd from message where id = $1', [done.conversationEvents.message.id]);
  return { session, deltas, text: done.conversationEvents.message.text as string, stored: stored! };
}

describe('the answer cache', () => {
  it('answers a repeated first question from the cache: streamed, recorded as a hit, free', async () => {
    const calls = provider.requests.length;
    const first = await ask(bot.embedId, 'How much does the Pro plan cost?');
    const again = await ask(bot.embedId, '  how much does the PRO plan cost ');
    expect(provider.requests.length).toBe(calls + 1);
    expect(again.text).toBe(first.text);
    expect(again.deltas.length).toBeGreaterThan(3); // still word by word
    expect(again.deltas.join('')).toBe(first.text);
    expect(first.stored).toMatchObject({ cache_hit: false, provider: 'openai' });
    expect(Number(first.stored.cost_micro_usd)).toBeGreaterThan(0);
    expect(again.stored).toMatchObject({ cache_hit: true, provider: 'cache', cost_micro_usd: '0' });
    const [cached] = await ownerQuery(server.databaseUrl, 'select hits from answer_cache where bot_id = $1', [bot.botId]);
    expect(cached!.hits).toBe(1);
    await server.counters.flush(); // roll-ups are written once a second (DeferredCounters)
    const [rollup] = await ownerQuery(server.databaseUrl, 'select sum(cache_hits)::int as hits from ai_usage_daily where bot_id = $1', [bot.botId]);
    expect(rollup!.hits).toBe(1);
  });

  it('asks the provider for follow-ups, whose meaning depends on the conversation', async () => {
    const first = await ask(bot.embedId, 'When is support open?');
    const calls = provider.requests.length;
    await ask(bot.embedId, 'How much does the Pro plan cost?', first.session);
    expect(provider.requests.length).toBe(calls + 1);
  });

  it('never caches a question carrying personal data', async () => {
    const calls = provider.requests.length;
    await ask(bot.embedId, 'Pro plan price? Mail me at ann@example.com');
    await ask(bot.embedId, 'Pro plan price? Mail me at ann@example.com');
    expect(provider.requests.length).toBe(calls + 2);
  });

  it('misses after publishing: a new live version starts with an empty cache', async () => {
    await ask(bot.embedId, 'Is there a Starter plan?');
    const calls = provider.requests.length;
    await ask(bot.embedId, 'Is there a Starter plan?');
    expect(provider.requests.length).toBe(calls);
    // A real change: publishing an unchanged draft answers the live version and makes no new one.
    await publishDraftChange(server.graphqlUrl, bot, (draft) => ({ ...draft, personality: { ...draft['personality'], greeting: 'Hello again!' } }));
    await ask(bot.embedId, 'Is there a Starter plan?');
    expect(provider.requests.length).toBe(calls + 1);
  });

  it('is never shared between bots, even of the same question', async () => {
    const other = await publishedBot(server.graphqlUrl);
    await ask(bot.embedId, 'Does Pro include unlimited projects?');
    const calls = provider.requests.length;
    const elsewhere = await ask(other.embedId, 'Does Pro include unlimited projects?');
    expect(provider.requests.length).toBe(calls + 1);
    expect(elsewhere.stored.cache_hit).toBe(false);
  });
});

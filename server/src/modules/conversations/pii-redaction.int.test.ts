import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, recordSubscription, wsClient } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { CONVERSATION_EVENTS_AFTER, SEND_MESSAGE, START_CONVERSATION } from '../../test/operations.ts';
import { publishDraftChange } from '../../test/provider-chain.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';
import { scriptedProvider } from './reply-test-kit.ts';

const provider = scriptedProvider({ answer: () => 'Thanks, noted.' });
const PERSONAL = 'I am ann@example.com, call +44 20 7946 0958, card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00.';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({}, { provider });
});
afterAll(() => server?.stop());

async function converse(bot: TenantFixture, texts: string[]) {
  const { startConversation: session } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
  const client = wsClient(server.websocketUrl, session.visitorToken);
  const events = recordSubscription(client, CONVERSATION_EVENTS_AFTER, { conversationId: session.conversationId });
  await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
  for (const [index, text] of texts.entries()) {
    await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text }, session.visitorToken);
    await events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted' && events.events.filter((x) => x.conversationEvents.__typename === 'ReplyCompleted').length === index + 1);
  }
  await client.dispose();
  return session.conversationId as string;
}

describe('PII redaction', () => {
  it('shows the provider placeholders, in the question and in the history, while the conversation keeps the original', async () => {
    const bot = await publishedBot(server.graphqlUrl);
    // The bot keeps answering (an unsure bot would hand the conversation to a person after the first message).
    await publishDraftChange(server.graphqlUrl, bot, (draft) => ({ ...draft, personality: { ...draft['personality'], offerHuman: 'never' } }));
    const before = provider.requests.length;
    const conversationId = await converse(bot, [PERSONAL, 'How much is the Pro plan?']);
    const [first, second] = provider.requests.slice(before);
    expect(first!.question).toBe('I am [email], call [phone], card [card], IBAN [iban].');
    expect(second!.history.find((turn) => turn.role === 'VISITOR')?.text).toBe(first!.question);
    const stored = await ownerQuery(server.databaseUrl, `select text from message where conversation_id = $1 and role = 'VISITOR' order by created_at`, [conversationId]);
    expect(stored[0]!.text).toBe(PERSONAL);
    // Whole fragments of the personal data: a bare "7946" also turns up in the passages' random UUIDs.
    expect(JSON.stringify(provider.requests.slice(before))).not.toMatch(/ann@example|4111 1111|20 7946|DE89 3704/);
  });

  it('passes the text unchanged for a bot whose bundle turns redaction off', async () => {
    const bot = await publishedBot(server.graphqlUrl);
    await publishDraftChange(server.graphqlUrl, bot, (draft) => ({ ...draft, privacy: { redactPii: false } }));
    const before = provider.requests.length;
    await converse(bot, [PERSONAL]);
    expect(provider.requests[before]!.question).toBe(PERSONAL);
  });
});

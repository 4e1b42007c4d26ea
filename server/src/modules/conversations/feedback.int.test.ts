import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { inTenant } from '../../core/db/index.ts';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest, recordSubscription, wsClient } from '../../test/graphql-test-client.ts';
import {
  ANSWER_FEEDBACK,
  BOT_FEEDBACK_ANALYTICS,
  CONVERSATION_RATINGS,
  CONVERSATION_EVENTS,
  CONVERSATION_TRANSCRIPT,
  RATE_ANSWER,
  RATE_CONVERSATION,
  SEND_MESSAGE,
  START_CONVERSATION,
} from '../../test/operations.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/webhook-receiver.ts';

const CREATE_ENDPOINT = /* GraphQL */ `
  mutation Create($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }`;

let server: TestServer;
let receiver: WebhookReceiver;
let a: TenantFixture;
let b: TenantFixture;
let webhookSecret: string;
const sockets: { dispose(): unknown }[] = [];

beforeAll(async () => {
  server = await startTestServer({
    // The receiver listens on loopback, which only an operator's explicit exemption allows.
    MASCOT_WEBHOOK_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
    MASCOT_WEBHOOK_POLL_MS: '50',
  });
  receiver = await startWebhookReceiver();
  [a, b] = await Promise.all([publishedBot(server.graphqlUrl), publishedBot(server.graphqlUrl)]);
  const { createWebhookEndpoint } = await graphqlOk(
    server.graphqlUrl, CREATE_ENDPOINT, { input: { url: receiver.url, eventTypes: ['FEEDBACK_SUBMITTED'] } }, a.accessToken,
  );
  webhookSecret = createWebhookEndpoint.secret;
});
afterAll(async () => {
  for (const socket of sockets) await socket.dispose();
  await receiver?.close();
  await server?.stop();
});

const code = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;
const today = () => new Date().toISOString().slice(0, 10);

/** A visitor conversation with `bot` in which one question was asked and answered. */
async function answeredConversation(bot: TenantFixture, question = 'How much is the Pro plan?') {
  const { startConversation } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
  const { conversationId, visitorToken } = startConversation as { conversationId: string; visitorToken: string };
  const client = wsClient(server.websocketUrl, visitorToken);
  sockets.push(client);
  const events = recordSubscription(client, CONVERSATION_EVENTS, { conversationId });
  await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
  const { sendMessage } = await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId, text: question }, visitorToken);
  const completed = await events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
  return { conversationId, visitorToken, questionId: sendMessage.id as string, answerId: completed.conversationEvents.message.id as string };
}

async function feedbackFigures(bot: TenantFixture) {
  const { botAnalytics } = await graphqlOk(server.graphqlUrl, BOT_FEEDBACK_ANALYTICS, { botId: bot.botId, from: today(), to: today() }, bot.accessToken);
  expect(botAnalytics.days[0].feedback).toEqual(botAnalytics.totals.feedback);
  return botAnalytics.totals.feedback;
}

describe('answer feedback', () => {
  it('stores a 👎 with its comment, and updates the same row when the visitor rates the answer again', async () => {
    const chat = await answeredConversation(a);
    const rate = (input: Record<string, unknown>) =>
      graphqlOk(server.graphqlUrl, RATE_ANSWER, { conversationId: chat.conversationId, messageId: chat.answerId, input }, chat.visitorToken);

    const { rateAnswer: first } = await rate({ helpful: false, comment: '  The price is missing the VAT.  ' });
    expect(first).toMatchObject({ conversationId: chat.conversationId, messageId: chat.answerId, helpful: false, comment: 'The price is missing the VAT.' });
    const { rateAnswer: same } = await rate({ helpful: false, comment: 'The price is missing the VAT.' });
    expect(same).toEqual(first);
    const { rateAnswer: changed } = await rate({ helpful: true });
    expect(changed).toMatchObject({ id: first.id, helpful: true, comment: null, createdAt: first.createdAt });

    const rows = await ownerQuery(server.databaseUrl, 'select tenant_id, bot_id, helpful, comment from answer_feedback where message_id = $1', [chat.answerId]);
    expect(rows).toEqual([{ tenant_id: a.tenantId, bot_id: a.botId, helpful: true, comment: null }]);
  });

  it("refuses bad input, and any message that is not an answer of the visitor's own conversation", async () => {
    const chat = await answeredConversation(a);
    const other = await answeredConversation(a);
    const foreign = await answeredConversation(b);
    const attempt = (variables: Record<string, unknown>, token: string | null = chat.visitorToken) =>
      graphqlRequest(server.graphqlUrl, RATE_ANSWER, { conversationId: chat.conversationId, messageId: chat.answerId, input: { helpful: false }, ...variables }, token ?? undefined);

    expect(code(await attempt({ input: { helpful: false, comment: 'x'.repeat(1001) } }))).toBe('BAD_USER_INPUT');
    expect(code(await attempt({ messageId: 'not-an-id' }))).toBe('BAD_USER_INPUT');
    // The visitor's own question, another conversation's answer, another tenant's answer.
    expect(code(await attempt({ messageId: chat.questionId }))).toBe('NOT_FOUND');
    expect(code(await attempt({ messageId: other.answerId }))).toBe('NOT_FOUND');
    expect(code(await attempt({ messageId: foreign.answerId }))).toBe('NOT_FOUND');
    // Another conversation with this token, or this conversation with another visitor's token.
    expect(code(await attempt({ conversationId: other.conversationId, messageId: other.answerId }))).toBe('NOT_FOUND');
    expect(code(await attempt({}, other.visitorToken))).toBe('NOT_FOUND');
    expect(code(await attempt({}, foreign.visitorToken))).toBe('NOT_FOUND');
    expect(code(await attempt({}, null))).toBe('UNAUTHENTICATED');
    expect(code(await attempt({}, a.accessToken))).toBe('UNAUTHENTICATED');

    const stored = await ownerQuery(server.databaseUrl, 'select 1 from answer_feedback where conversation_id = any($1)', [
      [chat.conversationId, other.conversationId, foreign.conversationId],
    ]);
    expect(stored).toEqual([]);
    // A comment of exactly 1000 characters is fine.
    await graphqlOk(server.graphqlUrl, RATE_ANSWER, {
      conversationId: chat.conversationId, messageId: chat.answerId, input: { helpful: false, comment: 'y'.repeat(1000) },
    }, chat.visitorToken);
  });
});

describe('conversation rating (CSAT)', () => {
  it('keeps one rating per conversation, replaced when the visitor rates again, and refuses ratings outside 1–5', async () => {
    const chat = await answeredConversation(a);
    const rate = (input: Record<string, unknown>) =>
      graphqlRequest(server.graphqlUrl, RATE_CONVERSATION, { conversationId: chat.conversationId, input }, chat.visitorToken);

    for (const rating of [0, 6, -1]) expect(code(await rate({ rating })), String(rating)).toBe('BAD_USER_INPUT');
    expect(code(await rate({ rating: 4.5 }))).toBe('BAD_USER_INPUT');
    expect(code(await rate({ rating: 3, comment: 'z'.repeat(1001) }))).toBe('BAD_USER_INPUT');
    const { data: first } = await rate({ rating: 2, comment: 'Slow' });
    const { data: second } = await rate({ rating: 5, comment: '' });
    expect(second!.rateConversation).toMatchObject({ id: first!.rateConversation.id, rating: 5, comment: null });
    const rows = await ownerQuery(server.databaseUrl, 'select rating, comment from conversation_rating where conversation_id = $1', [chat.conversationId]);
    expect(rows).toEqual([{ rating: 5, comment: null }]);

    const foreign = await answeredConversation(b);
    const refused = await graphqlRequest(server.graphqlUrl, RATE_CONVERSATION, { conversationId: foreign.conversationId, input: { rating: 1 } }, chat.visitorToken);
    expect(code(refused)).toBe('NOT_FOUND');
  });
});

describe('feedback in analytics', () => {
  it('counts helpful answers and CSAT per bot and day, moving a count when a rating changes', async () => {
    const bot = await publishedBot(server.graphqlUrl);
    // With a webhook endpoint the outbox flushes inside the rating's transaction: still counted once.
    await graphqlOk(server.graphqlUrl, CREATE_ENDPOINT, { input: { url: receiver.url, eventTypes: ['FEEDBACK_SUBMITTED'] } }, bot.accessToken);
    const before = await feedbackFigures(bot);
    expect(before).toEqual({
      helpfulAnswers: 0, unhelpfulAnswers: 0, helpfulShare: null, csatResponses: 0, csatAverage: null, csatSatisfiedShare: null, csatDistribution: [0, 0, 0, 0, 0],
    });
    const one = await answeredConversation(bot);
    const two = await answeredConversation(bot, 'When is support open?');
    const three = await answeredConversation(bot, 'What does the Starter plan cost?');
    const rateAnswer = (chat: typeof one, helpful: boolean) =>
      graphqlOk(server.graphqlUrl, RATE_ANSWER, { conversationId: chat.conversationId, messageId: chat.answerId, input: { helpful } }, chat.visitorToken);
    const rateConversation = (chat: typeof one, rating: number) =>
      graphqlOk(server.graphqlUrl, RATE_CONVERSATION, { conversationId: chat.conversationId, input: { rating } }, chat.visitorToken);

    await rateAnswer(one, true);
    await rateAnswer(two, true);
    await rateAnswer(three, true);
    await rateAnswer(three, false); // changed their mind: one 👍 fewer, one 👎 more
    await rateAnswer(three, false); // the same again: no change
    await rateConversation(one, 1);
    await rateConversation(one, 4);
    await rateConversation(two, 5);
    await rateConversation(three, 2);

    // Counters are written in batches shortly after the commit: wait for the figures to settle.
    const expected = {
      helpfulAnswers: 2, unhelpfulAnswers: 1, helpfulShare: 0.6667,
      csatResponses: 3, csatAverage: 3.67, csatSatisfiedShare: 0.6667, csatDistribution: [0, 1, 0, 1, 1],
    };
    let figures = await feedbackFigures(bot);
    for (let attempt = 0; attempt < 100 && JSON.stringify(figures) !== JSON.stringify(expected); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      figures = await feedbackFigures(bot);
    }
    expect(figures).toEqual(expected);
    // Another tenant's bot saw none of it.
    expect((await feedbackFigures(b)).csatDistribution).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('feedback webhooks', () => {
  it('delivers feedback.submitted for every change (not for a repeat), signed as Standard Webhooks', async () => {
    const chat = await answeredConversation(a);
    const already = receiver.received.length;
    await graphqlOk(server.graphqlUrl, RATE_ANSWER, {
      conversationId: chat.conversationId, messageId: chat.answerId, input: { helpful: false, comment: 'Wrong plan' },
    }, chat.visitorToken);
    await graphqlOk(server.graphqlUrl, RATE_ANSWER, {
      conversationId: chat.conversationId, messageId: chat.answerId, input: { helpful: false, comment: 'Wrong plan' },
    }, chat.visitorToken);
    await graphqlOk(server.graphqlUrl, RATE_CONVERSATION, { conversationId: chat.conversationId, input: { rating: 3, comment: 'OK' } }, chat.visitorToken);

    const messages = (await receiver.waitFor(already + 2)).slice(already);
    const payloads = messages.map((m) => new Webhook(webhookSecret).verify(m.body, m.headers as Record<string, string>) as { type: string; data: any });
    // Deliveries are concurrent, so their order is not the order of the events.
    const ofChat = payloads.filter((p) => p.data.conversationId === chat.conversationId).sort((x, y) => x.data.kind.localeCompare(y.data.kind));
    expect(ofChat).toEqual([
      {
        type: 'feedback.submitted',
        timestamp: expect.any(String),
        data: expect.objectContaining({
          kind: 'answer', botId: a.botId, messageId: chat.answerId, helpful: false, comment: 'Wrong plan', previousHelpful: null,
          feedbackId: expect.any(String), createdAt: expect.any(String),
        }),
      },
      {
        type: 'feedback.submitted',
        timestamp: expect.any(String),
        data: expect.objectContaining({ kind: 'conversation', botId: a.botId, rating: 3, comment: 'OK', previousRating: null }),
      },
    ]);
    // The repeat made no delivery: nothing else arrives for this conversation.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received.length).toBe(already + 2);
  });
});

describe('feedback and row-level security', () => {
  it("keeps each tenant's feedback to itself in the database", async () => {
    const chatA = await answeredConversation(a);
    const chatB = await answeredConversation(b);
    await graphqlOk(server.graphqlUrl, RATE_ANSWER, { conversationId: chatA.conversationId, messageId: chatA.answerId, input: { helpful: true } }, chatA.visitorToken);
    await graphqlOk(server.graphqlUrl, RATE_ANSWER, { conversationId: chatB.conversationId, messageId: chatB.answerId, input: { helpful: true } }, chatB.visitorToken);
    await graphqlOk(server.graphqlUrl, RATE_CONVERSATION, { conversationId: chatB.conversationId, input: { rating: 5 } }, chatB.visitorToken);

    const seen = await inTenant(server.orm.em.fork(), a.tenantId, async (tx) => ({
      answers: await tx.execute<{ tenant_id: string }[]>('select distinct tenant_id from answer_feedback'),
      ratings: await tx.execute<{ tenant_id: string }[]>('select distinct tenant_id from conversation_rating'),
      bAnswer: await tx.execute('select 1 from answer_feedback where message_id = ?', [chatB.answerId]),
    }));
    expect(seen.answers).toEqual([{ tenant_id: a.tenantId }]);
    expect(seen.ratings.every((row) => row.tenant_id === a.tenantId)).toBe(true);
    expect(seen.bAnswer).toEqual([]);
    // Writing a row that names tenant B from tenant A's transaction is refused by the policy.
    await expect(
      inTenant(server.orm.em.fork(), a.tenantId, (tx) =>
        tx.execute(
          `insert into conversation_rating (id, tenant_id, bot_id, conversation_id, rating) values (gen_random_uuid(), ?, ?, ?, 1)`,
          [b.tenantId, b.botId, chatB.conversationId],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});

describe("reading visitors' feedback", () => {
  it("lists a bot's ratings and comments, newest first, to its own tenant only", async () => {
    const bot = await publishedBot(server.graphqlUrl);
    const up = await answeredConversation(bot);
    const down = await answeredConversation(bot, 'When is support open?');
    await graphqlOk(server.graphqlUrl, RATE_ANSWER, { conversationId: up.conversationId, messageId: up.answerId, input: { helpful: true } }, up.visitorToken);
    await graphqlOk(server.graphqlUrl, RATE_ANSWER, { conversationId: down.conversationId, messageId: down.answerId, input: { helpful: false, comment: 'Too vague' } }, down.visitorToken);
    await graphqlOk(server.graphqlUrl, RATE_CONVERSATION, { conversationId: down.conversationId, input: { rating: 2, comment: 'Meh' } }, down.visitorToken);

    const { answerFeedback: all } = await graphqlOk(server.graphqlUrl, ANSWER_FEEDBACK, { botId: bot.botId }, bot.accessToken);
    expect(all.edges.map((e: any) => [e.node.messageId, e.node.helpful])).toEqual([[down.answerId, false], [up.answerId, true]]);
    const { answerFeedback: unhelpful } = await graphqlOk(server.graphqlUrl, ANSWER_FEEDBACK, { botId: bot.botId, helpful: false, first: 1 }, bot.accessToken);
    expect(unhelpful.edges).toEqual([{ node: expect.objectContaining({ botId: bot.botId, conversationId: down.conversationId, comment: 'Too vague' }) }]);
    expect(unhelpful.pageInfo.hasNextPage).toBe(false);
    const { conversationRatings } = await graphqlOk(server.graphqlUrl, CONVERSATION_RATINGS, { botId: bot.botId }, bot.accessToken);
    expect(conversationRatings.edges).toEqual([{ node: expect.objectContaining({ conversationId: down.conversationId, rating: 2, comment: 'Meh' }) }]);

    // Another tenant, a visitor, nobody: no feedback of this bot.
    for (const [query, token, expected] of [
      [ANSWER_FEEDBACK, a.accessToken, 'NOT_FOUND'], [CONVERSATION_RATINGS, a.accessToken, 'NOT_FOUND'],
      [ANSWER_FEEDBACK, up.visitorToken, 'UNAUTHENTICATED'], [CONVERSATION_RATINGS, undefined, 'UNAUTHENTICATED'],
    ] as const) {
      expect(code(await graphqlRequest(server.graphqlUrl, query, { botId: bot.botId }, token))).toBe(expected);
    }
  });
});

describe('transcript', () => {
  it("gives the visitor their conversation as stored, oldest first, and nobody else's", async () => {
    const chat = await answeredConversation(a);
    const { conversationTranscript } = await graphqlOk(server.graphqlUrl, CONVERSATION_TRANSCRIPT, { conversationId: chat.conversationId }, chat.visitorToken);
    expect(conversationTranscript.map((m: { id: string; role: string }) => [m.id, m.role])).toEqual([
      [chat.questionId, 'VISITOR'],
      [chat.answerId, 'ASSISTANT'],
    ]);
    expect(conversationTranscript[1]).toMatchObject({ text: expect.stringMatching(/29 dollars/), createdAt: expect.any(String) });
    const foreign = await answeredConversation(b);
    const refused = await graphqlRequest(server.graphqlUrl, CONVERSATION_TRANSCRIPT, { conversationId: foreign.conversationId }, chat.visitorToken);
    expect(code(refused)).toBe('NOT_FOUND');
    expect(code(await graphqlRequest(server.graphqlUrl, CONVERSATION_TRANSCRIPT, { conversationId: chat.conversationId }))).toBe('UNAUTHENTICATED');
  });
});

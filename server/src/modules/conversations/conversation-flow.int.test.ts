import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { graphqlOk, graphqlRequest, recordSubscription, wsClient } from '../../test/graphql-test-client.ts';
import { CONVERSATION_EVENTS_AFTER as CONVERSATION_EVENTS, SEND_MESSAGE, START_CONVERSATION } from '../../test/operations.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

let server: TestServer;
let bot: TenantFixture;

beforeAll(async () => {
  server = await startTestServer();
  bot = await publishedBot(server.graphqlUrl);
});
afterAll(() => server?.stop());

async function ask(question: string, existing?: { conversationId: string; visitorToken: string }) {
  const session = existing ?? (await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId })).startConversation;
  const client = wsClient(server.websocketUrl, session.visitorToken);
  const events = recordSubscription(client, CONVERSATION_EVENTS, { conversationId: session.conversationId });
  await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
  const sent = await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: question }, session.visitorToken);
  const completed = await events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
  await events.close();
  await client.dispose();
  const stream = events.events.map((e) => e.conversationEvents);
  return { session, sent: sent.sendMessage, stream, reply: completed.conversationEvents.message };
}

describe('one visitor message end to end', () => {
  it('greets with the published greeting when the conversation starts', async () => {
    const { startConversation } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
    expect(startConversation.bot.greeting).toMatch(/Pip/);
    expect(startConversation.visitorToken.split('.')).toHaveLength(3);
  });

  it('stores the visitor message and streams a cited answer from the published knowledge', async () => {
    const { sent, stream, reply } = await ask('How much does the Pro plan cost?');
    expect(sent).toMatchObject({ role: 'VISITOR', text: 'How much does the Pro plan cost?' });

    const deltas = stream.filter((e) => e.__typename === 'ReplyDelta');
    expect(deltas.length).toBeGreaterThan(3); // token by token, not one blob
    expect(deltas.map((d) => d.delta).join('')).toBe(reply.text);
    expect(stream[1].__typename).toBe('ReplyStarted');
    const seqs = stream.slice(1).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(stream.at(-1).__typename).toBe('ReplyCompleted'); // always a reply's last event
    expect(stream.at(-2)).toMatchObject({ __typename: 'AvatarCue', phase: 'finished' }); // the closing reaction, just before

    expect(reply.role).toBe('ASSISTANT');
    expect(reply.text).toMatch(/29 dollars per month/);
    expect(reply.text).toMatch(/\[1\]/);
    expect(reply.sources[0]).toMatchObject({ marker: 1, documentTitle: 'Price list', sectionPath: ['Plans', 'Pricing'] });
    expect(reply.sources[0].snippet).toMatch(/Pro plan/);
  });

  it('says plainly when the knowledge does not cover the question and offers a human', async () => {
    const { reply } = await ask('What is the capital of Peru?');
    expect(reply.sources).toEqual([]);
    expect(reply.text).not.toMatch(/29 dollars/);
    expect(reply.text.toLowerCase()).toMatch(/don.t know|not sure|no information|couldn.t find/);
    expect(reply.text.toLowerCase()).toMatch(/human|person|team/);
  });

  it('numbers events per conversation: the second reply continues where the first ended', async () => {
    const first = await ask('How much does the Pro plan cost?');
    const second = await ask('When is support open?', first.session);
    const firstSeqs = first.stream.slice(1).map((e) => e.seq);
    const secondSeqs = second.stream.slice(1).map((e) => e.seq);
    expect(second.stream[0]).toMatchObject({ __typename: 'ConversationSubscribed', seq: firstSeqs.at(-1) });
    expect(secondSeqs).toEqual(secondSeqs.map((_, i) => firstSeqs.at(-1)! + 1 + i));
    const logged = await ownerQuery<{ seq: number }>(
      server.databaseUrl, `select (event->>'seq')::int as seq from conversation_event, jsonb_array_elements(payload) as event where conversation_id = $1 order by 1`, [first.session.conversationId],
    );
    expect(logged.map((row) => row.seq)).toEqual([...firstSeqs, ...secondSeqs]);
  });

  it('cues the avatar before the first token and again while and after it speaks', async () => {
    const { stream, reply } = await ask('Hello there!');
    const firstDelta = stream.findIndex((e) => e.__typename === 'ReplyDelta');
    const cues = stream.filter((e) => e.__typename === 'AvatarCue');
    expect(cues.map((c) => c.phase)).toEqual(['listening', 'speaking', 'finished']);
    expect(stream.indexOf(cues[0])).toBeLessThan(firstDelta);
    expect(stream.indexOf(cues[1])).toBeGreaterThan(firstDelta);
    expect(cues[0]).toMatchObject({ intent: 'greeting', slot: 'greet_wave', messageId: reply.id });
    for (const cue of cues) expect(cue.intensity).toBeGreaterThanOrEqual(0);
    const [stored] = await ownerQuery(server.databaseUrl, 'select intent, animation, sentiment from message where id = $1', [reply.id]);
    expect(stored).toEqual({ intent: 'greeting', animation: cues[2].slot, sentiment: cues[2].sentiment });
  });

  it('reads the mood: a complaint looks sympathetic, an answer the bot lacks ends puzzled', async () => {
    const complaint = await ask('This is terrible, your product is broken and I am angry!');
    const cues = complaint.stream.filter((e) => e.__typename === 'AvatarCue');
    expect(cues[0]).toMatchObject({ phase: 'listening', intent: 'complaint', slot: 'sad' });
    expect(cues[0].sentiment).toBeLessThan(0);

    const unknown = await ask('What is the capital of Peru?');
    const finished = unknown.stream.find((e) => e.__typename === 'AvatarCue' && e.phase === 'finished');
    expect(finished).toMatchObject({ slot: 'confused' });
  });

  it('keeps the reply stored after it streamed', async () => {
    const { reply } = await ask('When is support open?');
    const rows = await ownerQuery(server.databaseUrl, 'select text, role from message where id = $1', [reply.id]);
    expect(rows[0]).toEqual({ text: reply.text, role: 'ASSISTANT' });
    expect(reply.text).toMatch(/8 am to 8 pm/);
  });

  it('answers only from the published snapshot: knowledge added after publishing stays invisible', async () => {
    await graphqlOk(
      server.graphqlUrl,
      `mutation($botId: ID!, $input: KnowledgeTextInput!) { addKnowledgeText(botId: $botId, input: $input) { id } }`,
      { botId: bot.botId, input: { title: 'Draft secrets', text: 'The launch codename is Zebulon Quartz.' } },
      bot.accessToken,
    );
    const { reply } = await ask('What is the launch codename?');
    expect(reply.text).not.toMatch(/Zebulon/);
  });

  it('refuses a subscription to another conversation with the visitor token of the first', async () => {
    const a = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
    const b = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
    const client = wsClient(server.websocketUrl, a.startConversation.visitorToken);
    const events = recordSubscription(client, CONVERSATION_EVENTS, { conversationId: b.startConversation.conversationId });
    await expect(events.waitFor(() => true)).rejects.toSatisfy((errors: any) => errors[0].extensions.code === 'NOT_FOUND');
    await client.dispose();
    const send = await graphqlRequest(server.graphqlUrl, SEND_MESSAGE, { conversationId: b.startConversation.conversationId, text: 'hi' }, a.startConversation.visitorToken);
    expect(send.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedBot, signUpAccount, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest, recordSubscription, wsClient, type EventRecorder } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { ACCEPT_INVITATION, INVITE_MEMBER, PUBLISH_BOT, SEND_MESSAGE, START_CONVERSATION } from '../../test/operations.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

const EVENTS = /* GraphQL */ `
  subscription Events($conversationId: ID!) {
    conversationEvents(conversationId: $conversationId) {
      __typename
      ... on ConversationSubscribed { seq }
      ... on ReplyStarted { seq messageId }
      ... on ReplyCompleted { seq message { id role text } requestsContact }
      ... on HandoffUnavailable { seq cause nextOpeningAt }
      ... on HandoffStatusChanged { seq status agentName }
      ... on MessagePosted { seq message { id role text authorName } }
    }
  }`;
const QUEUE = /* GraphQL */ `
  subscription Queue($botId: ID) {
    waitingConversations(botId: $botId) {
      change
      conversation { id botId status reason waitingSince agentName }
      visitorMessage { text role }
    }
  }`;
const TAKE_OVER = /* GraphQL */ `
  mutation TakeOver($conversationId: ID!, $displayName: String) {
    takeOverConversation(conversationId: $conversationId, displayName: $displayName) {
      conversation { id status reason agentName agentUserId }
      history { role text }
    }
  }`;
const AGENT_SAYS = /* GraphQL */ `
  mutation AgentSays($conversationId: ID!, $text: String!) {
    sendAgentMessage(conversationId: $conversationId, text: $text) { id role text authorName }
  }`;
const HAND_BACK = /* GraphQL */ `
  mutation HandBack($conversationId: ID!) { handBackConversation(conversationId: $conversationId) { id status agentName } }`;
const AVAILABILITY = /* GraphQL */ `query { handoffAvailability { onlineAgentIds openNow } }`;
const BOT_DRAFT = /* GraphQL */ `query Draft($id: ID!) { bot(id: $id) { draft draftRevision } }`;
const UPDATE_DRAFT = /* GraphQL */ `
  mutation Update($botId: ID!, $bundle: JSONObject!) { updateBotDraft(botId: $botId, bundle: $bundle) { id } }`;

let server: TestServer;
let bot: TenantFixture;
const sockets: { dispose(): unknown }[] = [];

beforeAll(async () => {
  server = await startTestServer();
  bot = await publishedBot(server.graphqlUrl);
  // The owner's agent client is open for the whole file: someone is online to be asked for.
  await queueOf(bot.accessToken);
});
afterAll(async () => {
  for (const socket of sockets) await socket.dispose();
  await server?.stop();
});

type Event = {
  conversationEvents: { __typename: string; seq: number; status?: string; agentName?: string | null; message?: any; requestsContact?: boolean; cause?: string };
};
type QueueEvent = { waitingConversations: { change: string; conversation: any; visitorMessage: any } };

const code = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;

function subscribe<T>(token: string, query: string, variables: Record<string, unknown>): EventRecorder<T> {
  const client = wsClient(server.websocketUrl, token);
  sockets.push(client);
  return recordSubscription<T>(client, query, variables);
}

/** A visitor with an open conversation and its live events. */
async function visitor(embedId = bot.embedId) {
  const { startConversation } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId });
  const conversationId: string = startConversation.conversationId;
  const token: string = startConversation.visitorToken;
  const events = subscribe<Event>(token, EVENTS, { conversationId });
  await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
  const say = async (text: string) => (await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId, text }, token)).sendMessage;
  const stream = () => events.events.map((e) => e.conversationEvents);
  return { conversationId, token, events, say, stream };
}

/** A member of `owner`'s tenant with `role`; returns their access token there. */
async function member(owner: TenantFixture, role: string): Promise<string> {
  const person = await signUpAccount(server.graphqlUrl, 'Elsewhere');
  const { inviteMember } = await graphqlOk(server.graphqlUrl, INVITE_MEMBER, { input: { email: person.email, role } }, owner.accessToken);
  const { acceptInvitation } = await graphqlOk(server.graphqlUrl, ACCEPT_INVITATION, { token: inviteMember.token }, person.accessToken);
  return acceptInvitation.accessToken;
}

/** An agent client following the queue: its member counts as online once this resolves. */
async function queueOf(token: string, botId?: string) {
  const queue = subscribe<QueueEvent>(token, QUEUE, botId ? { botId } : {});
  await agentsOnline(token);
  return queue;
}

/** Resolves once the tenant of `token` has an agent online (asked again until it does; the subscription starts asynchronously). */
async function agentsOnline(token: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { handoffAvailability } = await graphqlOk(server.graphqlUrl, AVAILABILITY, {}, token);
    if (handoffAvailability.onlineAgentIds.length > 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('no agent came online');
}

/** Publishes the bot again with personality.offerHuman set to `mode`. */
async function setOfferHuman(target: TenantFixture, mode: string) {
  const { bot: current } = await graphqlOk(server.graphqlUrl, BOT_DRAFT, { id: target.botId }, target.accessToken);
  const bundle = { ...current.draft, personality: { ...current.draft.personality, offerHuman: mode } };
  await graphqlOk(server.graphqlUrl, UPDATE_DRAFT, { botId: target.botId, bundle }, target.accessToken);
  await graphqlOk(server.graphqlUrl, PUBLISH_BOT, { botId: target.botId }, target.accessToken);
}

describe('human handoff', () => {
  it('puts the conversation in the queue when the visitor asks for a person, and the bot keeps answering while waiting', async () => {
    const queue = await queueOf(bot.accessToken);
    const chat = await visitor();
    await chat.say('Can I talk to a human, please?');

    const waiting = await chat.events.waitFor((e) => e.conversationEvents.__typename === 'HandoffStatusChanged');
    expect(waiting.conversationEvents).toMatchObject({ status: 'WAITING_FOR_AGENT', agentName: null });
    const queued = await queue.waitFor((e) => e.waitingConversations.conversation.id === chat.conversationId);
    expect(queued.waitingConversations).toMatchObject({
      change: 'WAITING',
      conversation: { botId: bot.botId, status: 'WAITING_FOR_AGENT', reason: 'VISITOR_REQUEST', agentName: null },
      visitorMessage: { role: 'VISITOR', text: 'Can I talk to a human, please?' },
    });

    // The request itself gets no bot reply. While waiting, the agents see every message and the bot answers
    // what it can, saying once that a person was asked to join.
    expect(chat.stream().some((e) => e.__typename === 'ReplyStarted')).toBe(false);
    await chat.say('How much does the Pro plan cost?');
    const relayed = await queue.waitFor((e) => e.waitingConversations.change === 'VISITOR_MESSAGE');
    expect(relayed.waitingConversations.visitorMessage.text).toBe('How much does the Pro plan cost?');
    const posted = await chat.events.waitFor((e) => e.conversationEvents.__typename === 'MessagePosted');
    expect(posted.conversationEvents.message).toMatchObject({ role: 'VISITOR', text: 'How much does the Pro plan cost?' });
    const answer = await chat.events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
    expect(answer.conversationEvents.message.text).toMatch(/29 dollars/);
    expect(answer.conversationEvents.message.text).toContain('A person from the team has been asked to join');
    expect(answer.conversationEvents.requestsContact).toBe(false);
    await chat.say('When is support open?');
    const second = await chat.events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted' && e.conversationEvents.seq > answer.conversationEvents.seq);
    expect(second.conversationEvents.message.text).not.toContain('asked to join');
    const stored = await ownerQuery(server.databaseUrl, 'select role from message where conversation_id = $1 order by created_at', [chat.conversationId]);
    // The wait is stored as a SYSTEM notice (HANDOFF_REQUESTED) right after the message that asked for it.
    expect(stored.map((row) => row['role'])).toEqual(['VISITOR', 'SYSTEM', 'VISITOR', 'ASSISTANT', 'VISITOR', 'ASSISTANT']);
    const [row] = await ownerQuery(server.databaseUrl, 'select status from conversation where id = $1', [chat.conversationId]);
    expect(row?.['status']).toBe('WAITING_FOR_AGENT');
  });

  it('lets an agent take over, reply as themselves, hear the visitor, and hand back to the bot', async () => {
    const agentToken = await member(bot, 'AGENT');
    const chat = await visitor();
    await chat.say('I want to speak to a real person');
    await chat.events.waitFor((e) => e.conversationEvents.status === 'WAITING_FOR_AGENT');

    const { takeOverConversation: taken } = await graphqlOk(server.graphqlUrl, TAKE_OVER, { conversationId: chat.conversationId, displayName: 'Sam' }, agentToken);
    expect(taken.conversation).toMatchObject({ status: 'WITH_AGENT', reason: 'VISITOR_REQUEST', agentName: 'Sam' });
    expect(taken.history).toEqual([{ role: 'VISITOR', text: 'I want to speak to a real person' }]);
    const joined = await chat.events.waitFor((e) => e.conversationEvents.status === 'WITH_AGENT');
    expect(joined.conversationEvents.agentName).toBe('Sam');

    // The agent follows the conversation on the same stream the visitor sees.
    const agentView = subscribe<Event>(agentToken, EVENTS, { conversationId: chat.conversationId });
    await agentView.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');

    const { sendAgentMessage: reply } = await graphqlOk(server.graphqlUrl, AGENT_SAYS, { conversationId: chat.conversationId, text: 'Hi, Sam here. How can I help?' }, agentToken);
    expect(reply).toMatchObject({ role: 'AGENT', authorName: 'Sam' });
    const delivered = await chat.events.waitFor((e) => e.conversationEvents.message?.role === 'AGENT');
    expect(delivered.conversationEvents.message).toEqual({ id: reply.id, role: 'AGENT', text: 'Hi, Sam here. How can I help?', authorName: 'Sam' });

    await chat.say('How much does the Pro plan cost?');
    const heard = await agentView.waitFor((e) => e.conversationEvents.message?.role === 'VISITOR');
    expect(heard.conversationEvents.message.text).toBe('How much does the Pro plan cost?');

    const { handBackConversation } = await graphqlOk(server.graphqlUrl, HAND_BACK, { conversationId: chat.conversationId }, agentToken);
    expect(handBackConversation).toMatchObject({ status: 'BOT', agentName: null });
    const left = await chat.events.waitFor((e) => e.conversationEvents.status === 'BOT');
    expect(left.conversationEvents.agentName).toBe('Sam');

    // Back with the bot: it answers again, and only from here on.
    await chat.say('How much does the Pro plan cost?');
    const answered = await chat.events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
    expect(answered.conversationEvents.message.text).toMatch(/29 dollars/);
    const started = chat.stream().filter((e) => e.__typename === 'ReplyStarted');
    expect(started).toHaveLength(1);
    expect(started[0]!.seq).toBeGreaterThan(left.conversationEvents.seq);
    const roles = await ownerQuery(server.databaseUrl, 'select role, author_name from message where conversation_id = $1 order by created_at', [chat.conversationId]);
    // Each handoff change between them is a SYSTEM notice: requested, joined, handed back.
    expect(roles).toEqual([
      { role: 'VISITOR', author_name: null },
      { role: 'SYSTEM', author_name: null },
      { role: 'SYSTEM', author_name: null },
      { role: 'AGENT', author_name: 'Sam' },
      { role: 'VISITOR', author_name: null },
      { role: 'SYSTEM', author_name: null },
      { role: 'VISITOR', author_name: null },
      { role: 'ASSISTANT', author_name: null },
    ]);
  });

  it('offers a person when the bot is not confident, and queues nothing until the visitor accepts', async () => {
    const queue = await queueOf(bot.accessToken, bot.botId);
    const chat = await visitor();
    await chat.say('What is the capital of Peru?');

    const reply = await chat.events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
    expect(reply.conversationEvents.message.text).toMatch(/connect you with someone from the team\?$/);
    expect(reply.conversationEvents.requestsContact).toBe(true);
    const [row] = await ownerQuery(server.databaseUrl, 'select status, handoff_offered_at from conversation where id = $1', [chat.conversationId]);
    expect(row?.['status']).toBe('BOT');
    expect(row?.['handoff_offered_at']).not.toBeNull();
    expect(chat.stream().some((e) => e.__typename === 'HandoffStatusChanged')).toBe(false);

    await chat.say('Yes please');
    const waiting = await chat.events.waitFor((e) => e.conversationEvents.__typename === 'HandoffStatusChanged');
    expect(waiting.conversationEvents.status).toBe('WAITING_FOR_AGENT');
    const queued = await queue.waitFor((e) => e.waitingConversations.conversation.id === chat.conversationId);
    expect(queued.waitingConversations.conversation.reason).toBe('BOT_UNSURE');
    // "Yes please" answered the offer: the bot did not reply to it.
    expect(chat.stream().filter((e) => e.__typename === 'ReplyStarted')).toHaveLength(1);
  });

  it('keeps a confident answer with the bot, offering nobody', async () => {
    const chat = await visitor();
    await chat.say('When is support open?');
    const reply = await chat.events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
    expect(reply.conversationEvents.requestsContact).toBe(false);
    expect(reply.conversationEvents.message.text).not.toMatch(/connect you|human|someone from the team/i);
    const [row] = await ownerQuery(server.databaseUrl, 'select status, handoff_offered_at from conversation where id = $1', [chat.conversationId]);
    expect(row).toEqual({ status: 'BOT', handoff_offered_at: null });
  });

  it("honours the bot's offerHuman: never hands over, on-request only when asked", async () => {
    const quiet = await publishedBot(server.graphqlUrl);
    await setOfferHuman(quiet, 'never');
    const never = await visitor(quiet.embedId);
    await never.say('Can I talk to a human?');
    const firstReply = await never.events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
    await never.say('What is the capital of Peru?');
    await never.events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted' && e.conversationEvents.seq > firstReply.conversationEvents.seq);
    expect(never.stream().some((e) => e.__typename === 'HandoffStatusChanged')).toBe(false);

    expect(firstReply.conversationEvents.requestsContact).toBe(false);
    expect(never.stream().filter((e) => e.__typename === 'ReplyCompleted').every((e) => !/connect you/.test(e.message.text))).toBe(true);

    await setOfferHuman(quiet, 'on-request');
    await queueOf(quiet.accessToken);
    const onRequest = await visitor(quiet.embedId);
    await onRequest.say('What is the capital of Peru?');
    // on-request: an unsure answer offers nobody, and says so nowhere.
    const unsure = await onRequest.events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
    expect(unsure.conversationEvents.requestsContact).toBe(false);
    expect(unsure.conversationEvents.message.text).not.toMatch(/connect you|human|someone from the team/i);
    await onRequest.say('Let me talk to an agent');
    const waiting = await onRequest.events.waitFor((e) => e.conversationEvents.__typename === 'HandoffStatusChanged');
    expect(waiting.conversationEvents.status).toBe('WAITING_FOR_AGENT');
    // The unsure answer before did not hand over: the only status change is the one asked for.
    const statuses = onRequest.stream().filter((e) => e.__typename === 'HandoffStatusChanged');
    expect(statuses).toHaveLength(1);
    expect(statuses[0]!.seq).toBeGreaterThan(onRequest.stream().find((e) => e.__typename === 'ReplyCompleted')!.seq);
  });

  it('lets exactly one of two racing agents take a conversation over; the other gets a typed conflict', async () => {
    const [first, second] = [await member(bot, 'AGENT'), await member(bot, 'ADMIN')];
    const chat = await visitor();
    await chat.say('Please connect me to customer service');
    await chat.events.waitFor((e) => e.conversationEvents.status === 'WAITING_FOR_AGENT');

    const results = await Promise.all(
      [first, second].map((token, i) =>
        graphqlRequest(server.graphqlUrl, TAKE_OVER, { conversationId: chat.conversationId, displayName: `Agent ${i}` }, token)),
    );
    const winners = results.filter((r) => !r.errors);
    const losers = results.filter((r) => r.errors);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const winnerName = winners[0]!.data!.takeOverConversation.conversation.agentName;
    expect(losers[0]!.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'TAKEN_BY_ANOTHER_AGENT', agentName: winnerName });

    // The loser cannot speak in it or hand it back; the winner taking over again changes nothing.
    const loserToken = results[0]!.errors ? first : second;
    const winnerToken = results[0]!.errors ? second : first;
    const speak = await graphqlRequest(server.graphqlUrl, AGENT_SAYS, { conversationId: chat.conversationId, text: 'me too' }, loserToken);
    expect(speak.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'TAKEN_BY_ANOTHER_AGENT' });
    expect(code(await graphqlRequest(server.graphqlUrl, HAND_BACK, { conversationId: chat.conversationId }, loserToken))).toBe('CONFLICT');
    const again = await graphqlOk(server.graphqlUrl, TAKE_OVER, { conversationId: chat.conversationId }, winnerToken);
    expect(again.takeOverConversation.conversation.agentName).toBe(winnerName);
    // The visitor saw one agent join, then leave.
    await graphqlOk(server.graphqlUrl, HAND_BACK, { conversationId: chat.conversationId }, winnerToken);
    await chat.events.waitFor((e) => e.conversationEvents.status === 'BOT');
    expect(chat.stream().filter((e) => e.__typename === 'HandoffStatusChanged').map((e) => [e.status, e.agentName]))
      .toEqual([['WAITING_FOR_AGENT', null], ['WITH_AGENT', winnerName], ['BOT', winnerName]]);
  });

  it('refuses to let an agent reply before taking the conversation over', async () => {
    const chat = await visitor();
    const result = await graphqlRequest(server.graphqlUrl, AGENT_SAYS, { conversationId: chat.conversationId, text: 'hello' }, bot.accessToken);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_TAKEN_OVER' });
  });

  it('lets an agent step into a conversation the bot is handling', async () => {
    const chat = await visitor();
    const { takeOverConversation } = await graphqlOk(server.graphqlUrl, TAKE_OVER, { conversationId: chat.conversationId }, bot.accessToken);
    expect(takeOverConversation.conversation).toMatchObject({ status: 'WITH_AGENT', reason: 'AGENT_INITIATED' });
    expect(takeOverConversation.conversation.agentName).toMatch(/^User$/); // from user-…@example.com
    await chat.events.waitFor((e) => e.conversationEvents.status === 'WITH_AGENT');
  });

  it('gives visitors and members without the permission no agent operation', async () => {
    const chat = await visitor();
    const viewer = await member(bot, 'VIEWER');
    const designer = await member(bot, 'DESIGNER');
    for (const [query, variables] of [
      [TAKE_OVER, { conversationId: chat.conversationId }],
      [AGENT_SAYS, { conversationId: chat.conversationId, text: 'hi' }],
      [HAND_BACK, { conversationId: chat.conversationId }],
    ] as const) {
      expect(code(await graphqlRequest(server.graphqlUrl, query, variables, chat.token))).toBe('UNAUTHENTICATED');
      expect(code(await graphqlRequest(server.graphqlUrl, query, variables, viewer))).toBe('FORBIDDEN');
      expect(code(await graphqlRequest(server.graphqlUrl, query, variables, designer))).toBe('FORBIDDEN');
    }
    const visitorQueue = subscribe<QueueEvent>(chat.token, QUEUE, {});
    await expect(visitorQueue.waitFor(() => true)).rejects.toSatisfy((errors: any) => errors[0].extensions.code === 'UNAUTHENTICATED');
    const [row] = await ownerQuery(server.databaseUrl, 'select status from conversation where id = $1', [chat.conversationId]);
    expect(row?.['status']).toBe('BOT');
  });

  it("never shows tenant B's agents a conversation of tenant A", async () => {
    const other = await publishedBot(server.graphqlUrl);
    const otherQueue = await queueOf(other.accessToken);
    // Only B's own agent is online for B: presence is per tenant too.
    expect((await graphqlOk(server.graphqlUrl, AVAILABILITY, {}, other.accessToken)).handoffAvailability.onlineAgentIds).toHaveLength(1);
    const chat = await visitor();
    await chat.say('I need a human');
    await chat.events.waitFor((e) => e.conversationEvents.status === 'WAITING_FOR_AGENT');

    for (const [query, variables] of [
      [TAKE_OVER, { conversationId: chat.conversationId }],
      [AGENT_SAYS, { conversationId: chat.conversationId, text: 'hi' }],
      [HAND_BACK, { conversationId: chat.conversationId }],
    ] as const) {
      expect(code(await graphqlRequest(server.graphqlUrl, query, variables, other.accessToken))).toBe('NOT_FOUND');
    }
    const spy = subscribe<Event>(other.accessToken, EVENTS, { conversationId: chat.conversationId });
    await expect(spy.waitFor(() => true)).rejects.toSatisfy((errors: any) => errors[0].extensions.code === 'NOT_FOUND');
    const filtered = subscribe<QueueEvent>(other.accessToken, QUEUE, { botId: bot.botId });

    // B's own waiting conversation arrives after A's was announced; A's never does.
    const own = await visitor(other.embedId);
    await own.say('I need a human');
    await otherQueue.waitFor((e) => e.waitingConversations.conversation.id === own.conversationId);
    expect(otherQueue.events.map((e) => e.waitingConversations.conversation.id)).toEqual([own.conversationId]);
    expect(filtered.events).toEqual([]);
    const [row] = await ownerQuery(server.databaseUrl, 'select status from conversation where id = $1', [chat.conversationId]);
    expect(row?.['status']).toBe('WAITING_FOR_AGENT');
  });

  it('shows agents who subscribe later the conversations already waiting, oldest first', async () => {
    const fresh = await publishedBot(server.graphqlUrl);
    // Another agent of the tenant is online, so the visitors' requests are queued.
    const agent = await member(fresh, 'AGENT');
    await queueOf(agent);
    const first = await visitor(fresh.embedId);
    await first.say('I want a human');
    await first.events.waitFor((e) => e.conversationEvents.status === 'WAITING_FOR_AGENT');
    const second = await visitor(fresh.embedId);
    await second.say('Talk to an agent please');
    await second.events.waitFor((e) => e.conversationEvents.status === 'WAITING_FOR_AGENT');

    const queue = await queueOf(fresh.accessToken);
    await queue.waitFor((e) => e.waitingConversations.conversation.id === second.conversationId);
    expect(queue.events.map((e) => [e.waitingConversations.change, e.waitingConversations.conversation.id]))
      .toEqual([['WAITING', first.conversationId], ['WAITING', second.conversationId]]);
  });

  it('refuses bad input with typed errors and changes nothing', async () => {
    const chat = await visitor();
    expect(code(await graphqlRequest(server.graphqlUrl, TAKE_OVER, { conversationId: 'not-an-id' }, bot.accessToken))).toBe('BAD_USER_INPUT');
    expect(code(await graphqlRequest(server.graphqlUrl, TAKE_OVER, { conversationId: chat.conversationId, displayName: '  ' }, bot.accessToken))).toBe('BAD_USER_INPUT');
    await graphqlOk(server.graphqlUrl, TAKE_OVER, { conversationId: chat.conversationId, displayName: 'Kim' }, bot.accessToken);
    expect(code(await graphqlRequest(server.graphqlUrl, AGENT_SAYS, { conversationId: chat.conversationId, text: ' ' }, bot.accessToken))).toBe('BAD_USER_INPUT');
    expect(code(await graphqlRequest(server.graphqlUrl, AGENT_SAYS, { conversationId: chat.conversationId, text: 'x'.repeat(4001) }, bot.accessToken))).toBe('BAD_USER_INPUT');
    const [row] = await ownerQuery(server.databaseUrl, "select count(*)::int as n from message where conversation_id = $1 and role = 'AGENT'", [chat.conversationId]);
    expect(row?.['n']).toBe(0);
  });
});

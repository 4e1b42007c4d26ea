import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedBot, signUpAccount, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest, recordSubscription, wsClient, type EventRecorder } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { ACCEPT_INVITATION, INVITE_MEMBER, PUBLISH_BOT, SEND_MESSAGE, START_CONVERSATION } from '../../test/operations.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

/*
 * Handoff by the visitor's choice (issue 14): an unsure answer offers a person, the visitor accepts or
 * declines; a person comes only when the tenant is open and an agent is online, and a wait nobody takes
 * falls back to the bot. Real PostgreSQL and NATS (JetStream jobs) when the environment names them.
 */

const EVENTS = /* GraphQL */ `
  subscription Events($conversationId: ID!) {
    conversationEvents(conversationId: $conversationId) {
      __typename
      ... on ConversationSubscribed { seq }
      ... on ReplyStarted { seq messageId }
      ... on ReplyCompleted { seq message { id role text } requestsContact }
      ... on HandoffStatusChanged { seq status agentName }
      ... on HandoffUnavailable { seq cause nextOpeningAt }
      ... on MessagePosted { seq message { id role text } }
    }
  }`;
const QUEUE = /* GraphQL */ `
  subscription Queue { waitingConversations { change conversation { id status reason } } }`;
const REQUEST = /* GraphQL */ `
  mutation Request($conversationId: ID!) { requestHandoff(conversationId: $conversationId) { status unavailable nextOpeningAt } }`;
const DECLINE = /* GraphQL */ `
  mutation Decline($conversationId: ID!) { declineHandoff(conversationId: $conversationId) { status unavailable nextOpeningAt } }`;
const CANCEL = /* GraphQL */ `
  mutation Cancel($conversationId: ID!) { cancelHandoff(conversationId: $conversationId) { status unavailable nextOpeningAt } }`;
const TAKE_OVER = /* GraphQL */ `
  mutation TakeOver($conversationId: ID!) { takeOverConversation(conversationId: $conversationId, displayName: "Sam") { conversation { status } } }`;
const SETTINGS = /* GraphQL */ `
  query { handoffSettings { timeZone weeklyHours { day opens closes } holidays waitTimeoutSeconds openNow nextOpeningAt } }`;
const UPDATE_SETTINGS = /* GraphQL */ `
  mutation Update($input: HandoffSettingsInput!) {
    updateHandoffSettings(input: $input) { timeZone weeklyHours { day opens closes } holidays waitTimeoutSeconds openNow nextOpeningAt }
  }`;
const BOT_DRAFT = /* GraphQL */ `query($id: ID!) { bot(id: $id) { draft } }`;
const UPDATE_DRAFT = /* GraphQL */ `mutation($botId: ID!, $bundle: JSONObject!) { updateBotDraft(botId: $botId, bundle: $bundle) { draftRevision } }`;
const AVAILABILITY = /* GraphQL */ `query { handoffAvailability { onlineAgentIds openNow nextOpeningAt } }`;

type Event = {
  conversationEvents: {
    __typename: string; seq: number; status?: string; agentName?: string | null; message?: any; requestsContact?: boolean;
    cause?: string; nextOpeningAt?: string | null;
  };
};
type QueueEvent = { waitingConversations: { change: string; conversation: { id: string; status: string; reason: string | null } } };

let server: TestServer;
let bot: TenantFixture;
const sockets: { dispose(): unknown }[] = [];

const code = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;

function subscribe<T>(token: string, query: string, variables: Record<string, unknown>): EventRecorder<T> {
  const client = wsClient(server.websocketUrl, token);
  sockets.push(client);
  return recordSubscription<T>(client, query, variables);
}

/** An agent client following the queue; resolves once its tenant has an agent online. */
async function agentOnline(token: string): Promise<EventRecorder<QueueEvent>> {
  const queue = subscribe<QueueEvent>(token, QUEUE, {});
  for (let attempt = 0; attempt < 200; attempt++) {
    const { handoffAvailability } = await graphqlOk(server.graphqlUrl, AVAILABILITY, {}, token);
    if (handoffAvailability.onlineAgentIds.length > 0) return queue;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('no agent came online');
}

async function member(owner: TenantFixture, role: string): Promise<string> {
  const person = await signUpAccount(server.graphqlUrl, 'Elsewhere');
  const { inviteMember } = await graphqlOk(server.graphqlUrl, INVITE_MEMBER, { input: { email: person.email, role } }, owner.accessToken);
  const { acceptInvitation } = await graphqlOk(server.graphqlUrl, ACCEPT_INVITATION, { token: inviteMember.token }, person.accessToken);
  return acceptInvitation.accessToken;
}

async function visitor(embedId = bot.embedId) {
  const { startConversation } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId });
  const conversationId: string = startConversation.conversationId;
  const token: string = startConversation.visitorToken;
  const events = subscribe<Event>(token, EVENTS, { conversationId });
  await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
  const say = async (text: string) => (await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId, text }, token)).sendMessage;
  const stream = () => events.events.map((e) => e.conversationEvents);
  const call = async (query: string) => graphqlRequest(server.graphqlUrl, query, { conversationId }, token);
  /** The next ReplyCompleted after everything seen so far. */
  const nextReply = async () => {
    const after = Math.max(0, ...stream().map((e) => e.seq).filter((seq) => typeof seq === 'number'));
    return (await events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted' && e.conversationEvents.seq > after)).conversationEvents;
  };
  const statusOf = async () =>
    (await ownerQuery(server.databaseUrl, 'select status from conversation where id = $1', [conversationId]))[0]?.['status'];
  return { conversationId, token, events, say, stream, call, nextReply, statusOf };
}

/** A visitor whose question the bot could not answer: the reply offered a person. */
async function offered(embedId = bot.embedId) {
  const chat = await visitor(embedId);
  const reply = chat.nextReply();
  await chat.say('What is the capital of Peru?');
  const unsure = await reply;
  expect(unsure.requestsContact).toBe(true);
  expect(unsure.message.text).toMatch(/connect you with someone from the team\?$/);
  return chat;
}

const utcDate = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const allWeek = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, opens: '00:00', closes: '24:00' }));

beforeAll(async () => {
  server = await startTestServer();
  bot = await publishedBot(server.graphqlUrl);
  await agentOnline(bot.accessToken);
});
afterAll(async () => {
  for (const socket of sockets) await socket.dispose();
  await server?.stop();
});

describe('handoff by the visitor\'s choice', () => {
  it('keeps the bot answering after the visitor declines with the button', async () => {
    const chat = await offered();
    const declined = await chat.call(DECLINE);
    expect(declined.data?.declineHandoff).toEqual({ status: 'BOT', unavailable: null, nextOpeningAt: null });
    const reply = chat.nextReply();
    await chat.say('How much does the Pro plan cost?');
    expect((await reply).message.text).toMatch(/29 dollars/);
    expect(await chat.statusOf()).toBe('BOT');
    expect(chat.stream().some((e) => e.__typename === 'HandoffStatusChanged')).toBe(false);
  });

  it('acknowledges "no thanks" after the offer without queueing, and answers the next question', async () => {
    const chat = await offered();
    await chat.say('No thanks');
    const ack = await chat.events.waitFor((e) => e.conversationEvents.message?.role === 'ASSISTANT' && e.conversationEvents.__typename === 'MessagePosted');
    expect(ack.conversationEvents.message.text).toMatch(/keep helping/);
    const reply = chat.nextReply();
    await chat.say('How much does the Pro plan cost?');
    expect((await reply).message.text).toMatch(/29 dollars/);
    expect(await chat.statusOf()).toBe('BOT');
    const [row] = await ownerQuery(server.databaseUrl, 'select handoff_offered_at from conversation where id = $1', [chat.conversationId]);
    expect(row?.['handoff_offered_at']).toBeNull();
  });

  it('takes a "yes" only right after the offer: a later one is a message for the bot', async () => {
    const chat = await offered();
    const reply = chat.nextReply();
    await chat.say('How much does the Pro plan cost?');
    await reply;
    const next = chat.nextReply();
    await chat.say('yes');
    await next;
    expect(await chat.statusOf()).toBe('BOT');
  });

  it('queues the conversation when the visitor accepts with the button, and the bot still answers while waiting', async () => {
    const agent = await member(bot, 'AGENT');
    const queue = await agentOnline(agent);
    const chat = await offered();
    const accepted = await chat.call(REQUEST);
    expect(accepted.data?.requestHandoff).toEqual({ status: 'WAITING_FOR_AGENT', unavailable: null, nextOpeningAt: null });
    await chat.events.waitFor((e) => e.conversationEvents.status === 'WAITING_FOR_AGENT');
    const queued = await queue.waitFor((e) => e.waitingConversations.conversation.id === chat.conversationId);
    expect(queued.waitingConversations.conversation.reason).toBe('BOT_UNSURE');

    const reply = chat.nextReply();
    await chat.say('How much does the Pro plan cost?');
    const answer = await reply;
    expect(answer.message.text).toMatch(/29 dollars/);
    expect(answer.message.text).toMatch(/A person from the team has been asked to join/);
    expect(answer.requestsContact).toBe(false);
    // An unsure answer while waiting offers nothing new; it says the person is on the way.
    const unsure = chat.nextReply();
    await chat.say('What is the capital of Peru?');
    const line = await unsure;
    expect(line.requestsContact).toBe(false);
    expect(line.message.text).toMatch(/asked to join and can pick this question up\.$/);
    expect(await chat.statusOf()).toBe('WAITING_FOR_AGENT');
  });

  it('lets the visitor cancel a wait, and not once an agent joined', async () => {
    const queue = await agentOnline(await member(bot, 'AGENT'));
    const chat = await offered();
    await chat.say('Yes, please connect me');
    await chat.events.waitFor((e) => e.conversationEvents.status === 'WAITING_FOR_AGENT');
    const cancelled = await chat.call(CANCEL);
    expect(cancelled.data?.cancelHandoff).toEqual({ status: 'BOT', unavailable: null, nextOpeningAt: null });
    const back = await chat.events.waitFor((e) => e.conversationEvents.status === 'BOT');
    expect(back.conversationEvents.agentName).toBeNull();
    await queue.waitFor((e) => e.waitingConversations.change === 'HANDED_BACK' && e.waitingConversations.conversation.id === chat.conversationId);
    expect(await chat.statusOf()).toBe('BOT');
    // Cancelling again changes nothing.
    expect((await chat.call(CANCEL)).data?.cancelHandoff.status).toBe('BOT');

    await chat.call(REQUEST);
    await graphqlOk(server.graphqlUrl, TAKE_OVER, { conversationId: chat.conversationId }, bot.accessToken);
    const refused = await chat.call(CANCEL);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'AGENT_JOINED', agentName: 'Sam' });
    expect(await chat.statusOf()).toBe('WITH_AGENT');
  });

  it('tells the visitor nobody is online instead of queueing, and offers the contact form', async () => {
    const lonely = await publishedBot(server.graphqlUrl);
    const chat = await offered(lonely.embedId);
    await chat.say('yes please');
    const unavailable = await chat.events.waitFor((e) => e.conversationEvents.__typename === 'HandoffUnavailable');
    expect(unavailable.conversationEvents).toMatchObject({ cause: 'NO_AGENT_ONLINE', nextOpeningAt: null });
    expect(await chat.statusOf()).toBe('BOT');
    // Asking outright is answered the same way; the button too.
    const asked = await chat.call(REQUEST);
    expect(asked.data?.requestHandoff).toEqual({ status: 'BOT', unavailable: 'NO_AGENT_ONLINE', nextOpeningAt: null });
    expect(chat.stream().some((e) => e.__typename === 'HandoffStatusChanged')).toBe(false);
    // The bot goes on answering.
    const reply = chat.nextReply();
    await chat.say('How much does the Pro plan cost?');
    expect((await reply).message.text).toMatch(/29 dollars/);
  });

  it('tells the visitor when people are back outside business hours (a holiday today), even with an agent online', async () => {
    const shop = await publishedBot(server.graphqlUrl);
    await agentOnline(shop.accessToken);
    const { updateHandoffSettings } = await graphqlOk(server.graphqlUrl, UPDATE_SETTINGS, {
      input: { timeZone: 'UTC', weeklyHours: allWeek, holidays: [utcDate(0)], waitTimeoutSeconds: 300 },
    }, shop.accessToken);
    const tomorrow = `${utcDate(1)}T00:00:00.000Z`;
    expect(updateHandoffSettings).toMatchObject({ openNow: false, nextOpeningAt: tomorrow, holidays: [utcDate(0)] });

    const chat = await visitor(shop.embedId);
    await chat.say('I want to talk to a human');
    const unavailable = await chat.events.waitFor((e) => e.conversationEvents.__typename === 'HandoffUnavailable');
    expect(unavailable.conversationEvents).toMatchObject({ cause: 'CLOSED', nextOpeningAt: tomorrow });
    expect(await chat.statusOf()).toBe('BOT');
    const { handoffAvailability } = await graphqlOk(server.graphqlUrl, AVAILABILITY, {}, shop.accessToken);
    expect(handoffAvailability).toMatchObject({ openNow: false, nextOpeningAt: tomorrow });
    expect(handoffAvailability.onlineAgentIds).toHaveLength(1);
  });

  it("follows the bot's own business hours from its published bundle over the tenant's (Studio authors them)", async () => {
    const shop = await publishedBot(server.graphqlUrl);
    await agentOnline(shop.accessToken);
    // The tenant is open around the clock; the bot's bundle says today is a holiday.
    const { bot: before } = await graphqlOk(server.graphqlUrl, BOT_DRAFT, { id: shop.botId }, shop.accessToken);
    const businessHours = { timeZone: 'UTC', weekly: allWeek, holidays: [utcDate(0)] };
    await graphqlOk(server.graphqlUrl, UPDATE_DRAFT, { botId: shop.botId, bundle: { ...before.draft, businessHours } }, shop.accessToken);
    await graphqlOk(server.graphqlUrl, PUBLISH_BOT, { botId: shop.botId }, shop.accessToken);
    expect((await graphqlOk(server.graphqlUrl, SETTINGS, {}, shop.accessToken)).handoffSettings.openNow).toBe(true);

    const chat = await visitor(shop.embedId);
    await chat.say('I want to talk to a human');
    const unavailable = await chat.events.waitFor((e) => e.conversationEvents.__typename === 'HandoffUnavailable');
    expect(unavailable.conversationEvents).toMatchObject({ cause: 'CLOSED', nextOpeningAt: `${utcDate(1)}T00:00:00.000Z` });
    expect(await chat.statusOf()).toBe('BOT');
  });

  it('falls back to the bot and the contact form when nobody takes the wait in time (durable job)', async () => {
    const slow = await publishedBot(server.graphqlUrl);
    const queue = await agentOnline(slow.accessToken);
    // Below what the API accepts (30 s), so the test does not wait long.
    await ownerQuery(server.databaseUrl, `insert into handoff_settings (tenant_id, wait_timeout_seconds) values ($1, 1)`, [slow.tenantId]);
    const chat = await offered(slow.embedId);
    await chat.say('yes');
    await chat.events.waitFor((e) => e.conversationEvents.status === 'WAITING_FOR_AGENT');
    const timedOut = await chat.events.waitFor((e) => e.conversationEvents.__typename === 'HandoffUnavailable');
    expect(timedOut.conversationEvents).toMatchObject({ cause: 'TIMED_OUT', nextOpeningAt: null });
    const statuses = chat.stream().filter((e) => e.__typename === 'HandoffStatusChanged').map((e) => e.status);
    expect(statuses).toEqual(['WAITING_FOR_AGENT', 'BOT']);
    await queue.waitFor((e) => e.waitingConversations.change === 'HANDED_BACK' && e.waitingConversations.conversation.id === chat.conversationId);
    expect(await chat.statusOf()).toBe('BOT');
    const reply = chat.nextReply();
    await chat.say('How much does the Pro plan cost?');
    expect((await reply).message.text).toMatch(/29 dollars/);
  });

  it('lets owners and admins set business hours, members read them, and refuses bad input with typed errors', async () => {
    const shop = await publishedBot(server.graphqlUrl);
    expect((await graphqlOk(server.graphqlUrl, SETTINGS, {}, shop.accessToken)).handoffSettings).toEqual({
      timeZone: 'UTC', weeklyHours: [], holidays: [], waitTimeoutSeconds: 300, openNow: true, nextOpeningAt: null,
    });
    const input = {
      timeZone: 'Europe/Berlin', weeklyHours: [{ day: 5, opens: '09:00', closes: '17:00' }, { day: 1, opens: '09:00', closes: '12:00' }],
      holidays: ['2026-12-24'], waitTimeoutSeconds: 120,
    };
    await graphqlOk(server.graphqlUrl, UPDATE_SETTINGS, { input }, shop.accessToken);
    const agent = await member(shop, 'AGENT');
    const read = (await graphqlOk(server.graphqlUrl, SETTINGS, {}, agent)).handoffSettings;
    expect(read).toMatchObject({ timeZone: 'Europe/Berlin', holidays: ['2026-12-24'], waitTimeoutSeconds: 120 });
    expect(read.weeklyHours.map((o: { day: number }) => o.day)).toEqual([1, 5]);

    expect(code(await graphqlRequest(server.graphqlUrl, UPDATE_SETTINGS, { input }, agent))).toBe('FORBIDDEN');
    for (const bad of [
      { ...input, timeZone: 'Mars/Olympus' },
      { ...input, weeklyHours: [{ day: 8, opens: '09:00', closes: '17:00' }] },
      { ...input, weeklyHours: [{ day: 1, opens: '17:00', closes: '09:00' }] },
      { ...input, weeklyHours: [{ day: 1, opens: '09:00', closes: '12:00' }, { day: 1, opens: '11:00', closes: '13:00' }] },
      { ...input, holidays: ['2026-02-30'] },
      { ...input, waitTimeoutSeconds: 5 },
    ]) {
      expect(code(await graphqlRequest(server.graphqlUrl, UPDATE_SETTINGS, { input: bad }, shop.accessToken))).toBe('BAD_USER_INPUT');
    }
    expect((await graphqlOk(server.graphqlUrl, SETTINGS, {}, shop.accessToken)).handoffSettings.timeZone).toBe('Europe/Berlin');
    // Tenants never see each other's settings.
    expect((await graphqlOk(server.graphqlUrl, SETTINGS, {}, bot.accessToken)).handoffSettings.timeZone).toBe('UTC');
  });

  it("gives a visitor only their own conversation's handoff, and members none of the visitor operations", async () => {
    const mine = await offered();
    const theirs = await visitor();
    for (const query of [REQUEST, DECLINE, CANCEL]) {
      expect(code(await graphqlRequest(server.graphqlUrl, query, { conversationId: mine.conversationId }, theirs.token))).toBe('NOT_FOUND');
      expect(code(await graphqlRequest(server.graphqlUrl, query, { conversationId: mine.conversationId }, bot.accessToken))).toBe('UNAUTHENTICATED');
      expect(code(await graphqlRequest(server.graphqlUrl, query, { conversationId: 'nope' }, mine.token))).toBe('BAD_USER_INPUT');
    }
    expect(await mine.statusOf()).toBe('BOT');
  });
});

import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subjects } from '@mascot/events';
import type { BusSubscription } from '../../core/bus/index.ts';
import { publishedBot, signUpAccount, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest, recordSubscription, wsClient } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { ACCEPT_INVITATION, INVITE_MEMBER, SEND_MESSAGE, START_CONVERSATION } from '../../test/operations.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

const LEADS = /* GraphQL */ `
  query Leads($botId: ID!, $first: Int, $after: String) {
    leads(botId: $botId, first: $first, after: $after) {
      edges { cursor node { id botId conversationId sourceMessageId name email phone wantsContact createdAt updatedAt } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

let server: TestServer;
let bot: TenantFixture;
let logLines: string[] = [];
let leadEvents: BusSubscription;
const announced: any[] = [];
const sockets: { dispose(): unknown }[] = [];

beforeAll(async () => {
  // Every log line at debug level, to prove contact details never reach the log.
  const sink = new Writable({ write: (chunk, _encoding, done) => { logLines.push(String(chunk)); done(); } });
  server = await startTestServer({}, { logger: pino({ level: 'debug' }, sink) });
  bot = await publishedBot(server.graphqlUrl);
  leadEvents = await server.bus.subscribe(subjects.leadCaptured(bot.tenantId));
  void (async () => { for await (const event of leadEvents) announced.push(event); })();
});
afterAll(async () => {
  leadEvents?.unsubscribe();
  for (const socket of sockets) await socket.dispose();
  await server?.stop();
});

const code = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;

const HANDLED = /* GraphQL */ `
  subscription Handled($conversationId: ID!) {
    conversationEvents(conversationId: $conversationId) { __typename }
  }`;
/** Events that end the handling of a visitor message: the bot's reply, or its relay to people. */
const MESSAGE_HANDLED = new Set(['ReplyCompleted', 'ReplyFailed', 'MessagePosted']);

/**
 * A visitor conversation whose `say` returns once the message was handled, so each test's
 * messages are answered one after another, as a visitor would send them.
 */
async function conversation(embedId = bot.embedId) {
  const { startConversation } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId });
  const { conversationId, visitorToken } = startConversation;
  const client = wsClient(server.websocketUrl, visitorToken);
  sockets.push(client);
  const events = recordSubscription<{ conversationEvents: { __typename: string } }>(client, HANDLED, { conversationId });
  await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
  const handled = () => events.events.filter((e) => MESSAGE_HANDLED.has(e.conversationEvents.__typename)).length;
  const say = async (text: string) => {
    const before = handled();
    const { sendMessage } = await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId, text }, visitorToken);
    await events.waitFor(() => handled() > before);
    return sendMessage;
  };
  return { id: conversationId as string, say };
}

async function leadsOf(target: TenantFixture, variables: Record<string, unknown> = {}) {
  return (await graphqlOk(server.graphqlUrl, LEADS, { botId: target.botId, ...variables }, target.accessToken)).leads;
}

/** Waits until the bus delivered an event matching `predicate` (the announcement follows the commit). */
async function announcement(predicate: (event: any) => boolean) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const found = announced.find(predicate);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no lead event matched; got ${JSON.stringify(announced)}`);
}

describe('lead capture', () => {
  it('creates one lead per conversation and completes it as details arrive, announcing ids only', async () => {
    const chat = await conversation();
    const first = await chat.say("Hi, I'm Ada Lovelace. Write to ada@example.com about the Pro plan");
    const created = await announcement((e) => e.conversationId === chat.id);
    expect(created).toMatchObject({
      type: 'LeadCaptured', tenantId: bot.tenantId, botId: bot.botId, created: true,
      has: { name: true, email: true, phone: false }, wantsContact: false,
    });
    expect(JSON.stringify(created)).not.toMatch(/ada@example|Lovelace/);

    await chat.say('Or call me on +44 20 7946 0958');
    const updated = await announcement((e) => e.conversationId === chat.id && !e.created);
    expect(updated).toMatchObject({ leadId: created.leadId, has: { name: true, email: true, phone: true }, wantsContact: true });

    const { edges } = await leadsOf(bot);
    const lead = edges.find((e: any) => e.node.conversationId === chat.id).node;
    expect(lead).toMatchObject({
      id: created.leadId, botId: bot.botId, sourceMessageId: first.id,
      name: 'Ada Lovelace', email: 'ada@example.com', phone: '+442079460958', wantsContact: true,
    });
    const rows = await ownerQuery(server.databaseUrl, 'select count(*)::int as n from lead where conversation_id = $1', [chat.id]);
    expect(rows[0]!.n).toBe(1);
  });

  it('makes a lead of the wish to be contacted alone, and lets a later message correct the address', async () => {
    const chat = await conversation();
    await chat.say('Could someone call me back tomorrow?');
    await announcement((e) => e.conversationId === chat.id);
    let lead = (await leadsOf(bot)).edges.find((e: any) => e.node.conversationId === chat.id).node;
    expect(lead).toMatchObject({ wantsContact: true, name: null, email: null, phone: null });

    await chat.say('my email is bob@example.org');
    await chat.say('sorry, it is bob@example.com');
    await chat.say('it is bob@example.com');
    lead = (await leadsOf(bot)).edges.find((e: any) => e.node.conversationId === chat.id).node;
    expect(lead.email).toBe('bob@example.com');
    // The repeated address changed nothing, so it announced nothing: created + two changes.
    await announcement((e) => e.conversationId === chat.id && e.has.email && !e.created);
    expect(announced.filter((e) => e.conversationId === chat.id)).toHaveLength(3);
  });

  it('makes no lead of an ordinary question or a name alone', async () => {
    const chat = await conversation();
    await chat.say('How much is the Pro plan?');
    await chat.say("I'm Grace");
    const rows = await ownerQuery(server.databaseUrl, 'select count(*)::int as n from lead where conversation_id = $1', [chat.id]);
    expect(rows[0]!.n).toBe(0);
  });

  it('keeps contact details out of the log', async () => {
    logLines = [];
    const chat = await conversation();
    await chat.say('Reach me at secret.visitor@example.net or +1 415 555 2671');
    await announcement((e) => e.conversationId === chat.id);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toMatch(/secret\.visitor|415 555 2671|14155552671/);
  });

  it('pages leads newest first with opaque cursors', async () => {
    const fresh = await publishedBot(server.graphqlUrl);
    const ids: string[] = [];
    for (const address of ['one@example.com', 'two@example.com', 'three@example.com']) {
      const chat = await conversation(fresh.embedId);
      await chat.say(`mail me at ${address}`);
      ids.push(chat.id);
    }
    const page = await leadsOf(fresh, { first: 2 });
    expect(page.edges.map((e: any) => e.node.email)).toEqual(['three@example.com', 'two@example.com']);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const rest = await leadsOf(fresh, { first: 2, after: page.pageInfo.endCursor });
    expect(rest.edges.map((e: any) => e.node.conversationId)).toEqual([ids[0]]);
    expect(rest.pageInfo.hasNextPage).toBe(false);

    expect(code(await graphqlRequest(server.graphqlUrl, LEADS, { botId: fresh.botId, after: 'garbage' }, fresh.accessToken))).toBe('BAD_USER_INPUT');
    expect(code(await graphqlRequest(server.graphqlUrl, LEADS, { botId: fresh.botId, first: 101 }, fresh.accessToken))).toBe('BAD_USER_INPUT');
    expect(code(await graphqlRequest(server.graphqlUrl, LEADS, { botId: 'nope' }, fresh.accessToken))).toBe('BAD_USER_INPUT');
  });

  it('shows leads to owners, admins and agents only, and never across tenants', async () => {
    const chat = await conversation();
    await chat.say('email me: carol@example.com');
    await announcement((e) => e.conversationId === chat.id);

    const asRole = async (role: string) => {
      const person = await signUpAccount(server.graphqlUrl);
      const { inviteMember } = await graphqlOk(server.graphqlUrl, INVITE_MEMBER, { input: { email: person.email, role } }, bot.accessToken);
      const { acceptInvitation } = await graphqlOk(server.graphqlUrl, ACCEPT_INVITATION, { token: inviteMember.token }, person.accessToken);
      return graphqlRequest(server.graphqlUrl, LEADS, { botId: bot.botId }, acceptInvitation.accessToken);
    };
    for (const role of ['ADMIN', 'AGENT']) expect(code(await asRole(role)), role).toBeUndefined();
    for (const role of ['DESIGNER', 'ANALYST', 'VIEWER']) expect(code(await asRole(role)), role).toBe('FORBIDDEN');

    const { startConversation } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
    expect(code(await graphqlRequest(server.graphqlUrl, LEADS, { botId: bot.botId }, startConversation.visitorToken))).toBe('UNAUTHENTICATED');
    const other = await publishedBot(server.graphqlUrl);
    expect(code(await graphqlRequest(server.graphqlUrl, LEADS, { botId: bot.botId }, other.accessToken))).toBe('NOT_FOUND');
    expect((await leadsOf(other)).edges).toEqual([]);
  });
});

const SUBMIT_CONTACT = /* GraphQL */ `
  mutation Submit($conversationId: ID!, $input: ContactDetailsInput!) {
    submitContactDetails(conversationId: $conversationId, input: $input) { leadId conversationId }
  }`;
const LEAD_FIELDS = /* GraphQL */ `
  query LeadFields($botId: ID!) {
    leads(botId: $botId, first: 100) { edges { node { id conversationId sourceMessageId name email phone wantsContact consentedAt } } }
  }`;
const COMPLETIONS = /* GraphQL */ `
  subscription Completions($conversationId: ID!) {
    conversationEvents(conversationId: $conversationId) {
      __typename
      ... on ReplyCompleted { requestsContact message { text } }
    }
  }`;

async function visitorSession(embedId = bot.embedId): Promise<{ conversationId: string; visitorToken: string }> {
  return (await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId })).startConversation;
}

async function leadOfConversation(conversationId: string) {
  const { leads } = await graphqlOk(server.graphqlUrl, LEAD_FIELDS, { botId: bot.botId }, bot.accessToken);
  return leads.edges.map((e: any) => e.node).find((n: any) => n.conversationId === conversationId) ?? null;
}

const leadRows = async (conversationId: string) =>
  (await ownerQuery(server.databaseUrl, 'select count(*)::int as n from lead where conversation_id = $1', [conversationId]))[0]!.n;

describe('the contact form (submitContactDetails)', () => {
  const form = { name: 'Ada Lovelace', email: 'Ada@Example.com', phone: '+44 20 7946 0958', consent: true };

  it('makes the lead from the form, with consent time and no source message, and announces it', async () => {
    const session = await visitorSession();
    const { submitContactDetails } = await graphqlOk(
      server.graphqlUrl, SUBMIT_CONTACT, { conversationId: session.conversationId, input: form }, session.visitorToken,
    );
    expect(submitContactDetails.conversationId).toBe(session.conversationId);
    const lead = await leadOfConversation(session.conversationId);
    expect(lead).toMatchObject({
      id: submitContactDetails.leadId, sourceMessageId: null, name: 'Ada Lovelace', email: 'ada@example.com',
      phone: '+442079460958', wantsContact: true,
    });
    expect(Number.isNaN(Date.parse(lead.consentedAt))).toBe(false);
    const event = await announcement((e) => e.conversationId === session.conversationId);
    expect(event).toMatchObject({ leadId: lead.id, created: true, has: { name: true, email: true, phone: true }, wantsContact: true });
    expect(JSON.stringify(event)).not.toMatch(/ada@example|Lovelace/);
  });

  it('completes the lead a chat message started, keeping one lead per conversation', async () => {
    const session = await visitorSession();
    const { sendMessage } = await graphqlOk(
      server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'Please call me on +1 415 555 2671' }, session.visitorToken,
    );
    await announcement((e) => e.conversationId === session.conversationId);
    await graphqlOk(
      server.graphqlUrl, SUBMIT_CONTACT,
      { conversationId: session.conversationId, input: { name: 'Grace Hopper', email: 'grace@example.org', phone: '', consent: true } },
      session.visitorToken,
    );
    const lead = await leadOfConversation(session.conversationId);
    // The form leaves the phone empty, so the number from the chat stays; the first message stays the source.
    expect(lead).toMatchObject({ sourceMessageId: sendMessage.id, name: 'Grace Hopper', email: 'grace@example.org', phone: '+14155552671' });
    expect(await leadRows(session.conversationId)).toBe(1);
    await announcement((e) => e.conversationId === session.conversationId && !e.created && e.has.email);
  });

  it('refuses invalid details field by field and writes nothing', async () => {
    const session = await visitorSession();
    const submit = (input: Record<string, unknown>) =>
      graphqlRequest(server.graphqlUrl, SUBMIT_CONTACT, { conversationId: session.conversationId, input }, session.visitorToken);
    const fields = (result: any) => result.errors?.[0]?.extensions?.fieldErrors?.map((e: { field: string }) => e.field);
    for (const [input, field] of [
      [{ ...form, consent: false }, 'consent'],
      [{ ...form, email: 'not-an-address' }, 'email'],
      [{ ...form, name: '   ' }, 'name'],
      [{ ...form, name: 'x'.repeat(121) }, 'name'],
      [{ ...form, phone: 'call me maybe' }, 'phone'],
      [{ ...form, phone: '12' }, 'phone'],
    ] as const) {
      const result = await submit(input);
      expect(code(result), JSON.stringify(input)).toBe('BAD_USER_INPUT');
      expect(fields(result)).toEqual([field]);
    }
    expect(await leadRows(session.conversationId)).toBe(0);
  });

  it('takes only the visitor token of that very conversation', async () => {
    const session = await visitorSession();
    const other = await visitorSession();
    const variables = { conversationId: session.conversationId, input: form };
    expect(code(await graphqlRequest(server.graphqlUrl, SUBMIT_CONTACT, variables))).toBe('UNAUTHENTICATED');
    expect(code(await graphqlRequest(server.graphqlUrl, SUBMIT_CONTACT, variables, bot.accessToken))).toBe('UNAUTHENTICATED');
    expect(code(await graphqlRequest(server.graphqlUrl, SUBMIT_CONTACT, variables, other.visitorToken))).toBe('NOT_FOUND');
    expect(code(await graphqlRequest(server.graphqlUrl, SUBMIT_CONTACT, { ...variables, conversationId: 'nope' }, session.visitorToken))).toBe('BAD_USER_INPUT');
    expect(await leadRows(session.conversationId)).toBe(0);
  });
});

describe('ReplyCompleted.requestsContact', () => {
  async function replyTo(question: string, target = bot) {
    const session = await visitorSession(target.embedId);
    const client = wsClient(server.websocketUrl, session.visitorToken);
    sockets.push(client);
    const events = recordSubscription<{ conversationEvents: { __typename: string; requestsContact?: boolean } }>(
      client, COMPLETIONS, { conversationId: session.conversationId },
    );
    await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
    await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: question }, session.visitorToken);
    return (await events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted')).conversationEvents;
  }

  it('is set when the bot cannot answer from its knowledge and its team follows up', async () => {
    expect(await replyTo('What is the capital of Peru?')).toMatchObject({ requestsContact: true });
  });

  it('is not set for an answer the knowledge covers', async () => {
    expect(await replyTo('How much does the Pro plan cost?')).toMatchObject({ requestsContact: false });
  });
});

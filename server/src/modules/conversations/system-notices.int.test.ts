import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { publishedBot, signUpAccount, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, recordSubscription, wsClient, type EventRecorder } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import {
  ACCEPT_INVITATION, CREATE_API_KEY, INVITE_MEMBER, REMOVE_MEMBER, REVOKE_API_KEY, SEND_MESSAGE, START_CONVERSATION, UPDATE_MEMBER_ROLE,
} from '../../test/operations.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';
import { scriptedProvider } from './reply-test-kit.ts';

// Handoff changes stored as SYSTEM messages (system-notices.ts), kept out of what the visitor and the model
// read, and conversations held by an agent whose access ends handed back to the bot (HANDOFF.md).

const EVENTS = /* GraphQL */ `
  subscription Events($conversationId: ID!) {
    conversationEvents(conversationId: $conversationId) {
      __typename
      ... on ConversationSubscribed { seq }
      ... on ReplyCompleted { seq message { role text } }
      ... on HandoffStatusChanged { seq status agentName }
      ... on MessagePosted { seq message { role text } }
    }
  }`;
const QUEUE = /* GraphQL */ `subscription Queue { waitingConversations { change conversation { id status } } }`;
const AVAILABILITY = /* GraphQL */ `query { handoffAvailability { onlineAgentIds } }`;
const TAKE_OVER = /* GraphQL */ `
  mutation TakeOver($conversationId: ID!, $displayName: String) {
    takeOverConversation(conversationId: $conversationId, displayName: $displayName) { conversation { status agentName } history { role } }
  }`;
const AGENT_SAYS = /* GraphQL */ `mutation AgentSays($conversationId: ID!, $text: String!) { sendAgentMessage(conversationId: $conversationId, text: $text) { id } }`;
const HAND_BACK = /* GraphQL */ `mutation HandBack($conversationId: ID!) { handBackConversation(conversationId: $conversationId) { status } }`;
const MESSAGES = /* GraphQL */ `
  query Messages($id: ID!) {
    conversation(id: $id) {
      status messageCount agent { name }
      messages(first: 50) { edges { node { role text authorName notice { kind agentName handoffReason unavailableReason agentRemoved } } } }
    }
  }`;
const VISITOR_MESSAGES = /* GraphQL */ `
  query VisitorMessages($conversationId: ID!) { visitorMessages(conversationId: $conversationId, first: 50) { edges { node { role text } } } }`;

const HANDED_OFF = /* GraphQL */ `query { conversations(filter: { handedOff: true, status: BOT }, first: 50) { edges { node { id } } } }`;

type Event = { conversationEvents: { __typename: string; seq: number; status?: string; agentName?: string | null; message?: { role: string; text: string } } };

const provider = scriptedProvider({ answer: (request) => `Scripted answer to: ${request.question}` });
let server: TestServer;
let tenant: TenantFixture;
let helpdesk: { id: string; secret: string };
let reader: string;
const sockets: { dispose(): unknown }[] = [];

function subscribe<T>(token: string, query: string, variables: Record<string, unknown> = {}): EventRecorder<T> {
  const client = wsClient(server.websocketUrl, token);
  sockets.push(client);
  return recordSubscription<T>(client, query, variables);
}

async function apiKey(name: string, scopes: string[]): Promise<{ id: string; secret: string }> {
  const { createApiKey } = await graphqlOk(server.graphqlUrl, CREATE_API_KEY, { input: { name, scopes } }, tenant.accessToken);
  return { id: createApiKey.apiKey.id, secret: createApiKey.secret };
}

beforeAll(async () => {
  server = await startTestServer({}, { provider });
  tenant = await publishedBot(server.graphqlUrl);
  helpdesk = await apiKey('Acme Helpdesk', ['CONVERSATIONS_HANDLE']);
  reader = (await apiKey('Partner reader', ['READ'])).secret;
  // The integration follows the queue, so a visitor asking for a person is queued for it.
  subscribe(helpdesk.secret, QUEUE);
  await vi.waitFor(async () => {
    const { handoffAvailability } = await graphqlOk(server.graphqlUrl, AVAILABILITY, {}, tenant.accessToken);
    expect(handoffAvailability.onlineAgentIds).toContain(helpdesk.id);
  }, { timeout: 10_000, interval: 20 });
});
afterAll(async () => {
  for (const socket of sockets) await socket.dispose();
  await server?.stop();
});

/** A visitor with an open conversation; `after(mark, …)` waits for an event that arrived after `mark()` was taken. */
async function visitor() {
  const { startConversation } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: tenant.embedId });
  const conversationId: string = startConversation.conversationId;
  const token: string = startConversation.visitorToken;
  const events = subscribe<Event>(token, EVENTS, { conversationId });
  await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
  // Events as received, by position: not every event type is selected with its seq here.
  const mark = () => events.events.length;
  const say = (text: string) => graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId, text }, token);
  const after = (from: number, predicate: (e: Event['conversationEvents']) => boolean) =>
    events.waitFor((e) => events.events.indexOf(e) >= from && predicate(e.conversationEvents));
  /** Says `text` and waits for the bot's answer to it. */
  const ask = async (text: string) => {
    const from = mark();
    await say(text);
    return (await after(from, (e) => e.__typename === 'ReplyCompleted')).conversationEvents;
  };
  return { conversationId, token, events, mark, say, after, ask };
}

const messagesOf = async (conversationId: string) => (await graphqlOk(server.graphqlUrl, MESSAGES, { id: conversationId }, reader)).conversation;
const nodes = (conversation: { messages: { edges: { node: any }[] } }) => conversation.messages.edges.map((edge) => edge.node);

describe('handoff changes as SYSTEM messages', () => {
  it('lists the request, take-over and hand-back in order with the agent name, while visitor history and the model never see them', async () => {
    const chat = await visitor();
    await chat.ask('Hello');
    let seq = chat.mark();
    await chat.say('I want to speak to a real person');
    await chat.after(seq, (e) => e.status === 'WAITING_FOR_AGENT');

    const { takeOverConversation: taken } = await graphqlOk(server.graphqlUrl, TAKE_OVER, { conversationId: chat.conversationId, displayName: 'Robin' }, helpdesk.secret);
    // What the agent is handed is what was said: no notices.
    expect(taken.history.map((m: { role: string }) => m.role)).toEqual(['VISITOR', 'ASSISTANT', 'VISITOR']);
    await graphqlOk(server.graphqlUrl, AGENT_SAYS, { conversationId: chat.conversationId, text: 'Robin here, how can I help?' }, helpdesk.secret);
    seq = chat.mark();
    await graphqlOk(server.graphqlUrl, HAND_BACK, { conversationId: chat.conversationId }, helpdesk.secret);
    await chat.after(seq, (e) => e.status === 'BOT');

    const before = provider.requests.length;
    await chat.ask('How much is the Pro plan?');
    // The next reply's prompt holds what was said, in order, and none of the notices.
    const request = provider.requests[before]!;
    expect(request.question).toBe('How much is the Pro plan?');
    expect(request.history.map((turn) => [turn.role, turn.text])).toEqual([
      ['VISITOR', 'Hello'],
      ['ASSISTANT', 'Scripted answer to: Hello'],
      ['VISITOR', 'I want to speak to a real person'],
      ['AGENT', 'Robin here, how can I help?'],
    ]);

    const conversation = await messagesOf(chat.conversationId);
    expect(nodes(conversation).map((m) => [m.role, m.text, m.authorName, m.notice?.kind ?? null, m.notice?.agentName ?? null])).toEqual([
      ['VISITOR', 'Hello', null, null, null],
      ['ASSISTANT', 'Scripted answer to: Hello', null, null, null],
      ['VISITOR', 'I want to speak to a real person', null, null, null],
      ['SYSTEM', 'The visitor asked for a person; waiting for an agent.', null, 'HANDOFF_REQUESTED', null],
      ['SYSTEM', 'Robin joined the conversation.', null, 'AGENT_JOINED', 'Robin'],
      ['AGENT', 'Robin here, how can I help?', 'Robin', null, null],
      ['SYSTEM', 'Robin left the conversation; the bot answers again.', null, 'HANDED_BACK', 'Robin'],
      ['VISITOR', 'How much is the Pro plan?', null, null, null],
      ['ASSISTANT', 'Scripted answer to: How much is the Pro plan?', null, null, null],
    ]);
    expect(nodes(conversation)[3].notice).toMatchObject({ handoffReason: 'VISITOR_REQUEST', unavailableReason: null, agentRemoved: false });
    // Counted are the messages said, as before notices were stored.
    expect(conversation.messageCount).toBe(6);

    // The widget shows its own notices from live events: the visitor's stored history has none of these.
    const { visitorMessages } = await graphqlOk(server.graphqlUrl, VISITOR_MESSAGES, { conversationId: chat.conversationId }, chat.token);
    expect(visitorMessages.edges.map((edge: any) => edge.node.role)).toEqual(['VISITOR', 'ASSISTANT', 'VISITOR', 'AGENT', 'VISITOR', 'ASSISTANT']);
  });
});

describe('a conversation held by an agent whose access ends', () => {
  it('is handed back when the holding API key is revoked, and the bot answers again', async () => {
    const nightDesk = await apiKey('Night desk', ['CONVERSATIONS_HANDLE']);
    const chat = await visitor();
    await chat.ask('Hello');
    await graphqlOk(server.graphqlUrl, TAKE_OVER, { conversationId: chat.conversationId }, nightDesk.secret);
    let seq = chat.mark();
    await chat.say('Anyone there?');
    // Held by the key: the message goes to people, not to the bot.
    await chat.after(seq, (e) => e.__typename === 'MessagePosted' && e.message?.role === 'VISITOR');

    seq = chat.mark();
    await graphqlOk(server.graphqlUrl, REVOKE_API_KEY, { id: nightDesk.id }, tenant.accessToken);
    const returned = await chat.after(seq, (e) => e.__typename === 'HandoffStatusChanged');
    expect(returned.conversationEvents).toMatchObject({ status: 'BOT', agentName: 'Night desk' });
    const [row] = await ownerQuery(server.databaseUrl, 'select status, agent_user_id, agent_api_key_id, agent_name from conversation where id = $1', [chat.conversationId]);
    expect(row).toEqual({ status: 'BOT', agent_user_id: null, agent_api_key_id: null, agent_name: null });

    const before = provider.requests.length;
    const answer = await chat.ask('How much is the Pro plan?');
    expect(answer.message?.text).toBe('Scripted answer to: How much is the Pro plan?');
    expect(provider.requests[before]!.history.map((turn) => turn.role)).toEqual(['VISITOR', 'ASSISTANT', 'VISITOR']);

    const conversation = await messagesOf(chat.conversationId);
    expect(conversation).toMatchObject({ status: 'BOT', agent: null });
    expect(nodes(conversation).filter((m) => m.role === 'SYSTEM')).toEqual([
      { role: 'SYSTEM', text: 'Night desk joined the conversation.', authorName: null, notice: expect.objectContaining({ kind: 'AGENT_JOINED', agentName: 'Night desk' }) },
      {
        role: 'SYSTEM', text: 'Night desk no longer has access; the bot answers again.', authorName: null,
        notice: { kind: 'HANDED_BACK', agentName: 'Night desk', handoffReason: null, unavailableReason: null, agentRemoved: true },
      },
    ]);
    // No agent wrote in it, yet it was with one: the AGENT_JOINED notice keeps that after the hand-back.
    const handedOff = await graphqlOk(server.graphqlUrl, HANDED_OFF, {}, reader);
    expect(handedOff.conversations.edges.map((edge: any) => edge.node.id)).toContain(chat.conversationId);
    // Nobody holds it any more, so another agent may take it.
    const { takeOverConversation } = await graphqlOk(server.graphqlUrl, TAKE_OVER, { conversationId: chat.conversationId }, helpdesk.secret);
    expect(takeOverConversation.conversation).toMatchObject({ status: 'WITH_AGENT', agentName: 'Acme Helpdesk' });
    await graphqlOk(server.graphqlUrl, HAND_BACK, { conversationId: chat.conversationId }, helpdesk.secret);
  });

  /** A conversation taken over by a new member (role AGENT) as `name`; returns the member's user id. */
  async function heldByMember(chat: Awaited<ReturnType<typeof visitor>>, name: string): Promise<string> {
    const person = await signUpAccount(server.graphqlUrl, 'Elsewhere');
    const { inviteMember } = await graphqlOk(server.graphqlUrl, INVITE_MEMBER, { input: { email: person.email, role: 'AGENT' } }, tenant.accessToken);
    const { acceptInvitation } = await graphqlOk(server.graphqlUrl, ACCEPT_INVITATION, { token: inviteMember.token }, person.accessToken);
    await chat.ask('Hello');
    const taking = chat.mark();
    await graphqlOk(server.graphqlUrl, TAKE_OVER, { conversationId: chat.conversationId, displayName: name }, acceptInvitation.accessToken);
    await chat.after(taking, (e) => e.status === 'WITH_AGENT');
    return person.userId;
  }

  /** After `change` ended the member's right to handle it: back with the bot, noted, and answered again. */
  async function expectHandedBack(chat: Awaited<ReturnType<typeof visitor>>, name: string, change: () => Promise<unknown>) {
    const seq = chat.mark();
    await change();
    const returned = await chat.after(seq, (e) => e.__typename === 'HandoffStatusChanged');
    expect(returned.conversationEvents).toMatchObject({ status: 'BOT', agentName: name });
    const last = nodes(await messagesOf(chat.conversationId)).at(-1);
    expect(last).toMatchObject({ role: 'SYSTEM', notice: { kind: 'HANDED_BACK', agentName: name, agentRemoved: true } });
    expect((await chat.ask('Still there?')).message?.text).toBe('Scripted answer to: Still there?');
  }

  it('is handed back when the holding member is removed from the tenant', async () => {
    const chat = await visitor();
    const userId = await heldByMember(chat, 'Kim');
    await expectHandedBack(chat, 'Kim', () => graphqlOk(server.graphqlUrl, REMOVE_MEMBER, { userId }, tenant.accessToken));
  });

  it('is handed back when the holding member moves to a role that cannot handle conversations', async () => {
    const chat = await visitor();
    const userId = await heldByMember(chat, 'Lee');
    await expectHandedBack(chat, 'Lee', () => graphqlOk(server.graphqlUrl, UPDATE_MEMBER_ROLE, { userId, role: 'ANALYST' }, tenant.accessToken));
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest, recordSubscription, wsClient, type EventRecorder } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { CREATE_API_KEY, SEND_MESSAGE, START_CONVERSATION } from '../../test/operations.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

const EVENTS = /* GraphQL */ `
  subscription Events($conversationId: ID!) {
    conversationEvents(conversationId: $conversationId) {
      __typename
      ... on ConversationSubscribed { seq }
      ... on ReplyCompleted { seq message { role text } }
      ... on HandoffStatusChanged { seq status agentName }
      ... on MessagePosted { seq message { id role text authorName } }
    }
  }`;
const QUEUE = /* GraphQL */ `subscription Queue { waitingConversations { change conversation { id status agentName } } }`;
const TAKE_OVER = /* GraphQL */ `
  mutation TakeOver($conversationId: ID!, $displayName: String) {
    takeOverConversation(conversationId: $conversationId, displayName: $displayName) {
      conversation { id status agentName agentUserId }
      history { role text }
    }
  }`;
const AGENT_SAYS = /* GraphQL */ `
  mutation AgentSays($conversationId: ID!, $text: String!) { sendAgentMessage(conversationId: $conversationId, text: $text) { id role text authorName } }`;
const HAND_BACK = /* GraphQL */ `mutation HandBack($conversationId: ID!) { handBackConversation(conversationId: $conversationId) { id status agentName } }`;
const LEADS = /* GraphQL */ `query Leads($botId: ID!) { leads(botId: $botId) { edges { node { conversationId name email } } } }`;
const AUDIT = /* GraphQL */ `query { auditLog(first: 50) { edges { node { action actorType actorId targetId } } } }`;

type Event = { conversationEvents: { __typename: string; seq: number; status?: string; agentName?: string | null; message?: any } };
type QueueEvent = { waitingConversations: { change: string; conversation: { id: string; status: string } } };

let server: TestServer;
let tenant: TenantFixture;
const sockets: { dispose(): unknown }[] = [];

beforeAll(async () => {
  server = await startTestServer();
  tenant = await publishedBot(server.graphqlUrl);
});
afterAll(async () => {
  for (const socket of sockets) await socket.dispose();
  await server?.stop();
});

const code = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.['code'];

function subscribe<T>(token: string, query: string, variables: Record<string, unknown> = {}): EventRecorder<T> {
  const client = wsClient(server.websocketUrl, token);
  sockets.push(client);
  return recordSubscription<T>(client, query, variables);
}

async function apiKey(name: string, scopes: string[]): Promise<{ id: string; secret: string }> {
  const { createApiKey } = await graphqlOk(server.graphqlUrl, CREATE_API_KEY, { input: { name, scopes } }, tenant.accessToken);
  return { id: createApiKey.apiKey.id, secret: createApiKey.secret };
}

/** A visitor with an open conversation and its live events. */
async function visitor() {
  const { startConversation } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: tenant.embedId });
  const conversationId: string = startConversation.conversationId;
  const events = subscribe<Event>(startConversation.visitorToken, EVENTS, { conversationId });
  await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
  const say = (text: string) => graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId, text }, startConversation.visitorToken);
  return { conversationId, events, say };
}

describe('handoff handled by an API key (conversations_handle)', () => {
  let helpdesk: { id: string; secret: string };
  let queue: EventRecorder<QueueEvent>;

  beforeAll(async () => {
    helpdesk = await apiKey('Acme Helpdesk', ['CONVERSATIONS_HANDLE']);
    // The integration follows the queue like an agent client, so visitors asking for a person are queued for it.
    queue = subscribe<QueueEvent>(helpdesk.secret, QUEUE);
    await vi.waitFor(async () => {
      const { handoffAvailability } = await graphqlOk(server.graphqlUrl, `query { handoffAvailability { onlineAgentIds } }`, {}, tenant.accessToken);
      expect(handoffAvailability.onlineAgentIds).toContain(helpdesk.id);
    }, { timeout: 10_000, interval: 20 });
  });

  it('takes over a waiting conversation, replies as the integration, hands back, and the bot answers again', async () => {
    const chat = await visitor();
    await chat.say('I want to speak to a real person');
    await queue.waitFor((e) => e.waitingConversations.conversation.id === chat.conversationId && e.waitingConversations.change === 'WAITING');

    const { takeOverConversation: taken } = await graphqlOk(server.graphqlUrl, TAKE_OVER, { conversationId: chat.conversationId }, helpdesk.secret);
    expect(taken.conversation).toMatchObject({ status: 'WITH_AGENT', agentName: 'Acme Helpdesk', agentUserId: null });
    expect(taken.history).toEqual([{ role: 'VISITOR', text: 'I want to speak to a real person' }]);
    const joined = await chat.events.waitFor((e) => e.conversationEvents.status === 'WITH_AGENT');
    expect(joined.conversationEvents.agentName).toBe('Acme Helpdesk');
    await queue.waitFor((e) => e.waitingConversations.conversation.id === chat.conversationId && e.waitingConversations.change === 'TAKEN_OVER');

    const { sendAgentMessage: reply } = await graphqlOk(server.graphqlUrl, AGENT_SAYS, { conversationId: chat.conversationId, text: 'Hello from the help desk.' }, helpdesk.secret);
    expect(reply).toMatchObject({ role: 'AGENT', authorName: 'Acme Helpdesk' });
    const delivered = await chat.events.waitFor((e) => e.conversationEvents.message?.role === 'AGENT');
    expect(delivered.conversationEvents.message).toEqual({ id: reply.id, role: 'AGENT', text: 'Hello from the help desk.', authorName: 'Acme Helpdesk' });

    const { handBackConversation } = await graphqlOk(server.graphqlUrl, HAND_BACK, { conversationId: chat.conversationId }, helpdesk.secret);
    expect(handBackConversation).toMatchObject({ status: 'BOT', agentName: null });
    const left = await chat.events.waitFor((e) => e.conversationEvents.status === 'BOT');
    expect(left.conversationEvents.agentName).toBe('Acme Helpdesk');

    await chat.say('How much does the Pro plan cost?');
    const answered = await chat.events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted' && e.conversationEvents.seq > left.conversationEvents.seq);
    expect(answered.conversationEvents.message.text).toMatch(/29 dollars/);

    // Every step is audited with the key as actor; the conversation no longer names a holder.
    const { auditLog } = await graphqlOk(server.graphqlUrl, AUDIT, {}, tenant.accessToken);
    const byKey = auditLog.edges.map((e: any) => e.node).filter((n: any) => n.targetId === chat.conversationId);
    expect(byKey.map((n: any) => n.action).sort()).toEqual(['handoff.agent_message_sent', 'handoff.handed_back', 'handoff.taken_over']);
    for (const entry of byKey) expect(entry).toMatchObject({ actorType: 'api_key', actorId: helpdesk.id });
    const [row] = await ownerQuery(server.databaseUrl, 'select status, agent_user_id, agent_api_key_id from conversation where id = $1', [chat.conversationId]);
    expect(row).toEqual({ status: 'BOT', agent_user_id: null, agent_api_key_id: null });
  });

  it('shows the display name it is given, and keeps the conversation from members and other keys while it holds it', async () => {
    const chat = await visitor();
    await chat.say('Can I talk to a human, please?');
    await queue.waitFor((e) => e.waitingConversations.conversation.id === chat.conversationId);
    const { takeOverConversation: taken } = await graphqlOk(
      server.graphqlUrl, TAKE_OVER, { conversationId: chat.conversationId, displayName: 'Robin (Acme support)' }, helpdesk.secret,
    );
    expect(taken.conversation.agentName).toBe('Robin (Acme support)');
    const [row] = await ownerQuery(server.databaseUrl, 'select agent_user_id, agent_api_key_id from conversation where id = $1', [chat.conversationId]);
    expect(row).toEqual({ agent_user_id: null, agent_api_key_id: helpdesk.id });

    const other = await apiKey('Other desk', ['CONVERSATIONS_HANDLE']);
    for (const token of [other.secret, tenant.accessToken]) {
      const said = await graphqlRequest(server.graphqlUrl, AGENT_SAYS, { conversationId: chat.conversationId, text: 'Mine now' }, token);
      expect(said.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'TAKEN_BY_ANOTHER_AGENT', agentName: 'Robin (Acme support)' });
      expect(code(await graphqlRequest(server.graphqlUrl, TAKE_OVER, { conversationId: chat.conversationId }, token))).toBe('CONFLICT');
    }
    await graphqlOk(server.graphqlUrl, HAND_BACK, { conversationId: chat.conversationId }, helpdesk.secret);
  });

  it('refuses keys without the scope, and bad or foreign ids, with typed errors', async () => {
    const reader = await apiKey('Reader', ['READ', 'WRITE']);
    const chat = await visitor();
    for (const [query, variables] of [
      [TAKE_OVER, { conversationId: chat.conversationId }],
      [AGENT_SAYS, { conversationId: chat.conversationId, text: 'hi' }],
      [HAND_BACK, { conversationId: chat.conversationId }],
    ] as const) {
      expect(code(await graphqlRequest(server.graphqlUrl, query, variables, reader.secret))).toBe('FORBIDDEN');
    }
    const denied = subscribe<QueueEvent>(reader.secret, QUEUE);
    await expect(denied.waitFor(() => true)).rejects.toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);

    expect(code(await graphqlRequest(server.graphqlUrl, TAKE_OVER, { conversationId: 'nope' }, helpdesk.secret))).toBe('BAD_USER_INPUT');
    const foreign = await publishedBot(server.graphqlUrl);
    const { startConversation } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: foreign.embedId });
    expect(code(await graphqlRequest(server.graphqlUrl, TAKE_OVER, { conversationId: startConversation.conversationId }, helpdesk.secret))).toBe('NOT_FOUND');
    // Replying before taking over is a conflict, not a failure.
    const said = await graphqlRequest(server.graphqlUrl, AGENT_SAYS, { conversationId: chat.conversationId, text: 'hi' }, helpdesk.secret);
    expect(said.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_TAKEN_OVER' });
    expect(code(await graphqlRequest(server.graphqlUrl, TAKE_OVER, { conversationId: chat.conversationId, displayName: ' ' }, helpdesk.secret))).toBe('BAD_USER_INPUT');
  });
});

describe('leads read by an API key (leads_read)', () => {
  it('lists leads with the scope, and is refused them without it', async () => {
    const chat = await visitor();
    await chat.say("I'm Grace Hopper, reach me at grace@example.com");
    const crm = await apiKey('CRM sync', ['LEADS_READ']);
    // The lead is stored with the visitor's message, before sendMessage answers.
    const { leads } = await graphqlOk(server.graphqlUrl, LEADS, { botId: tenant.botId }, crm.secret);
    expect(leads.edges.find((e: any) => e.node.conversationId === chat.conversationId).node).toMatchObject({ name: 'Grace Hopper', email: 'grace@example.com' });

    const reader = await apiKey('Reader', ['READ']);
    expect(code(await graphqlRequest(server.graphqlUrl, LEADS, { botId: tenant.botId }, reader.secret))).toBe('FORBIDDEN');
  });
});

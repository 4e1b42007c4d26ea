import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { publishedBot, signUpAccount, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest, recordSubscription, wsClient } from '../../test/graphql-test-client.ts';
import { ACCEPT_INVITATION, CONVERSATION_EVENTS_AFTER, CONVERSATION_TRANSCRIPT, INVITE_MEMBER, RATE_ANSWER } from '../../test/operations.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';
import { scriptedProvider } from './reply-test-kit.ts';

/*
 * The team's tools beside the chat (issue 17, the Console's Inbox): closing and reopening a conversation,
 * internal notes that never reach the visitor or the provider, canned replies, the 👍/👎 filter, and typing
 * indicators both ways.
 */
const START = /* GraphQL */ `
  mutation Start($embedId: String!, $visitorId: String) { startConversation(embedId: $embedId, visitorId: $visitorId) { conversationId visitorToken } }`;
const SEND = /* GraphQL */ `mutation Send($conversationId: ID!, $text: String!) { sendMessage(conversationId: $conversationId, text: $text) { id } }`;
const TAKE_OVER = /* GraphQL */ `mutation Take($conversationId: ID!) { takeOverConversation(conversationId: $conversationId) { conversation { status } } }`;
const CLOSE = /* GraphQL */ `mutation Close($conversationId: ID!) { closeConversation(conversationId: $conversationId) { id status closedAt agent { name } } }`;
const REOPEN = /* GraphQL */ `mutation Reopen($conversationId: ID!) { reopenConversation(conversationId: $conversationId) { id closedAt } }`;
const LIST = /* GraphQL */ `
  query List($filter: ConversationFilter) { conversations(first: 50, filter: $filter) { totalCount edges { node { id closedAt } } } }`;
const ADD_NOTE = /* GraphQL */ `
  mutation Note($conversationId: ID!, $text: String!) { addConversationNote(conversationId: $conversationId, text: $text) { id text authorName authorUserId } }`;
const DELETE_NOTE = /* GraphQL */ `mutation DeleteNote($id: ID!) { deleteConversationNote(id: $id) }`;
const NOTES = /* GraphQL */ `query Notes($id: ID!) { conversation(id: $id) { notes { id text authorName } messages(last: 50) { edges { node { text } } } } }`;
const VISITOR_MESSAGES = /* GraphQL */ `query Mine($conversationId: ID!) { visitorMessages(conversationId: $conversationId, last: 50) { edges { node { text } } } }`;
const EXPORT = /* GraphQL */ `mutation Export($visitorId: String!) { exportVisitorData(visitor: { visitorId: $visitorId }) { data } }`;
const CANNED = /* GraphQL */ `{ cannedReplies { id shortcut text } }`;
const CREATE_CANNED = /* GraphQL */ `mutation Create($input: CannedReplyInput!) { createCannedReply(input: $input) { id shortcut text } }`;
const UPDATE_CANNED = /* GraphQL */ `mutation Update($id: ID!, $input: CannedReplyInput!) { updateCannedReply(id: $id, input: $input) { id shortcut text } }`;
const DELETE_CANNED = /* GraphQL */ `mutation Delete($id: ID!) { deleteCannedReply(id: $id) }`;
const TYPING = /* GraphQL */ `subscription Typing($conversationId: ID!) { typingIndicators(conversationId: $conversationId) { who name typing at } }`;
const VISITOR_TYPING = /* GraphQL */ `mutation VT($conversationId: ID!, $typing: Boolean!) { setVisitorTyping(conversationId: $conversationId, typing: $typing) }`;
const AGENT_TYPING = /* GraphQL */ `mutation AT($conversationId: ID!, $typing: Boolean!) { setAgentTyping(conversationId: $conversationId, typing: $typing) }`;
const AUDIT = /* GraphQL */ `{ auditLog(first: 50) { edges { node { action actorId targetId } } } }`;

const provider = scriptedProvider({ answer: (request) => `Happy to help with ${request.question}` });
let server: TestServer;
let a: TenantFixture;
let b: TenantFixture;
let ownerId: string;

const code = (result: { errors?: { extensions?: { code?: string; reason?: string } }[] }) => result.errors?.[0]?.extensions?.code;
const ids = (list: { conversations: { edges: { node: { id: string } }[] } }) => list.conversations.edges.map((edge) => edge.node.id);

/** A visitor's conversation with one answered message. */
async function chat(fixture: TenantFixture, text = 'Hello there', visitorId?: string) {
  const { startConversation: session } = await graphqlOk(server.graphqlUrl, START, { embedId: fixture.embedId, visitorId: visitorId ?? null });
  await say(session, text);
  return session as { conversationId: string; visitorToken: string };
}

/** The visitor says `text` and the bot's answer completes; returns the answer's id. */
async function say(session: { conversationId: string; visitorToken: string }, text: string): Promise<string> {
  const client = wsClient(server.websocketUrl, session.visitorToken);
  const events = recordSubscription(client, CONVERSATION_EVENTS_AFTER, { conversationId: session.conversationId });
  await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
  await graphqlOk(server.graphqlUrl, SEND, { conversationId: session.conversationId, text }, session.visitorToken);
  const done = await events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
  await client.dispose();
  return done.conversationEvents.message.id as string;
}

async function member(role: string): Promise<string> {
  const person = await signUpAccount(server.graphqlUrl);
  const { inviteMember } = await graphqlOk(server.graphqlUrl, INVITE_MEMBER, { input: { email: person.email, role } }, a.accessToken);
  return (await graphqlOk(server.graphqlUrl, ACCEPT_INVITATION, { token: inviteMember.token }, person.accessToken)).acceptInvitation.accessToken;
}

beforeAll(async () => {
  server = await startTestServer({}, { provider });
  a = await publishedBot(server.graphqlUrl);
  b = await publishedBot(server.graphqlUrl);
  ownerId = (await graphqlOk(server.graphqlUrl, `{ me { user { id } } }`, {}, a.accessToken)).me.user.id;
});
afterAll(() => server?.stop());

describe('closing a conversation', () => {
  it('hands it back, leaves the open list, is audited, and a new visitor message opens it again', async () => {
    const session = await chat(a);
    const id = session.conversationId;
    await graphqlOk(server.graphqlUrl, TAKE_OVER, { conversationId: id }, a.accessToken);
    const { closeConversation } = await graphqlOk(server.graphqlUrl, CLOSE, { conversationId: id }, a.accessToken);
    expect(closeConversation).toMatchObject({ id, status: 'BOT', agent: null });
    expect(closeConversation.closedAt).not.toBeNull();
    const [notice] = await ownerQuery(server.databaseUrl, `select notice->>'kind' as kind from message where conversation_id = $1 and role = 'SYSTEM' order by created_at desc limit 1`, [id]);
    expect(notice!.kind).toBe('HANDED_BACK');

    expect(ids(await graphqlOk(server.graphqlUrl, LIST, { filter: { closed: true } }, a.accessToken))).toEqual([id]);
    expect(ids(await graphqlOk(server.graphqlUrl, LIST, { filter: { closed: false } }, a.accessToken))).not.toContain(id);
    // Closing again changes nothing: the first time stays.
    expect((await graphqlOk(server.graphqlUrl, CLOSE, { conversationId: id }, a.accessToken)).closeConversation.closedAt).toBe(closeConversation.closedAt);

    await say(session, 'One more question please');
    expect(ids(await graphqlOk(server.graphqlUrl, LIST, { filter: { closed: true } }, a.accessToken))).not.toContain(id);

    await graphqlOk(server.graphqlUrl, CLOSE, { conversationId: id }, a.accessToken);
    expect((await graphqlOk(server.graphqlUrl, REOPEN, { conversationId: id }, a.accessToken)).reopenConversation.closedAt).toBeNull();
    const { auditLog } = await graphqlOk(server.graphqlUrl, AUDIT, {}, a.accessToken);
    const mine = auditLog.edges.map((e: { node: { action: string; targetId: string; actorId: string } }) => e.node).filter((n: { targetId: string }) => n.targetId === id);
    expect(mine.map((n: { action: string }) => n.action)).toEqual(['conversation.reopened', 'conversation.closed', 'conversation.closed']);
    expect(mine.every((n: { actorId: string }) => n.actorId === ownerId)).toBe(true);
  });

  it("refuses another agent's conversation, roles without conversations:handle, bad and foreign ids", async () => {
    const { conversationId } = await chat(a);
    const agent = await member('AGENT');
    await graphqlOk(server.graphqlUrl, TAKE_OVER, { conversationId }, agent);
    const taken = await graphqlRequest(server.graphqlUrl, CLOSE, { conversationId }, a.accessToken);
    expect(taken.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'TAKEN_BY_ANOTHER_AGENT' });
    expect(code(await graphqlRequest(server.graphqlUrl, CLOSE, { conversationId }, await member('ANALYST')))).toBe('FORBIDDEN');
    expect(code(await graphqlRequest(server.graphqlUrl, CLOSE, { conversationId: 'nope' }, agent))).toBe('BAD_USER_INPUT');
    const theirs = await chat(b);
    expect(code(await graphqlRequest(server.graphqlUrl, CLOSE, { conversationId: theirs.conversationId }, agent))).toBe('NOT_FOUND');
    const [row] = await ownerQuery(server.databaseUrl, `select closed_at from conversation where id = $1`, [theirs.conversationId]);
    expect(row!.closed_at).toBeNull();
    // The holder may close it.
    expect((await graphqlOk(server.graphqlUrl, CLOSE, { conversationId }, agent)).closeConversation.status).toBe('BOT');
  });
});

describe('internal notes', () => {
  it('are shown to the team and never to the visitor, the provider or the visitor’s export', async () => {
    const NOTE = 'Internal: customer is on the legacy plan, offer the migration discount';
    const session = await chat(a, 'Hi, I need help', 'visitor-notes-01');
    const { addConversationNote: note } = await graphqlOk(server.graphqlUrl, ADD_NOTE, { conversationId: session.conversationId, text: `  ${NOTE} ` }, a.accessToken);
    expect(note).toMatchObject({ text: NOTE, authorUserId: ownerId });
    const requestsBefore = provider.requests.length;
    await say(session, 'What does it cost?');
    expect(provider.requests.length).toBe(requestsBefore + 1);
    expect(JSON.stringify(provider.requests)).not.toContain('legacy plan');

    const { conversation } = await graphqlOk(server.graphqlUrl, NOTES, { id: session.conversationId }, a.accessToken);
    expect(conversation.notes.map((n: { text: string }) => n.text)).toEqual([NOTE]);
    expect(JSON.stringify(conversation.messages)).not.toContain('legacy plan');
    const seenByVisitor = [
      await graphqlOk(server.graphqlUrl, VISITOR_MESSAGES, { conversationId: session.conversationId }, session.visitorToken),
      await graphqlOk(server.graphqlUrl, CONVERSATION_TRANSCRIPT, { conversationId: session.conversationId }, session.visitorToken),
      await graphqlOk(server.graphqlUrl, EXPORT, { visitorId: 'visitor-notes-01' }, a.accessToken),
    ];
    for (const seen of seenByVisitor) {
      expect(JSON.stringify(seen)).toContain('What does it cost?');
      expect(JSON.stringify(seen)).not.toContain('legacy plan');
    }

    // Analysts read them; only agents write; only the author deletes; other tenants see nothing.
    const analyst = await member('ANALYST');
    expect((await graphqlOk(server.graphqlUrl, NOTES, { id: session.conversationId }, analyst)).conversation.notes).toHaveLength(1);
    expect(code(await graphqlRequest(server.graphqlUrl, ADD_NOTE, { conversationId: session.conversationId, text: 'x' }, analyst))).toBe('FORBIDDEN');
    expect(code(await graphqlRequest(server.graphqlUrl, ADD_NOTE, { conversationId: session.conversationId, text: '   ' }, a.accessToken))).toBe('BAD_USER_INPUT');
    expect(code(await graphqlRequest(server.graphqlUrl, ADD_NOTE, { conversationId: session.conversationId, text: 'x' }, b.accessToken))).toBe('NOT_FOUND');
    expect(code(await graphqlRequest(server.graphqlUrl, DELETE_NOTE, { id: note.id }, b.accessToken))).toBe('NOT_FOUND');
    expect(code(await graphqlRequest(server.graphqlUrl, DELETE_NOTE, { id: note.id }, await member('AGENT')))).toBe('FORBIDDEN');
    expect((await graphqlOk(server.graphqlUrl, DELETE_NOTE, { id: note.id }, a.accessToken)).deleteConversationNote).toBe(note.id);
    expect((await graphqlOk(server.graphqlUrl, NOTES, { id: session.conversationId }, a.accessToken)).conversation.notes).toEqual([]);
  });
});

describe('canned replies', () => {
  it('are kept by admins, read by agents, with typed errors for taken shortcuts and bad input', async () => {
    const { createCannedReply: hello } = await graphqlOk(server.graphqlUrl, CREATE_CANNED, { input: { shortcut: ' Hello ', text: 'Hi! How can I help?' } }, a.accessToken);
    expect(hello).toMatchObject({ shortcut: 'hello', text: 'Hi! How can I help?' });
    await graphqlOk(server.graphqlUrl, CREATE_CANNED, { input: { shortcut: 'bye', text: 'Have a nice day.' } }, a.accessToken);
    expect(code(await graphqlRequest(server.graphqlUrl, CREATE_CANNED, { input: { shortcut: 'HELLO', text: 'again' } }, a.accessToken))).toBe('CONFLICT');
    expect(code(await graphqlRequest(server.graphqlUrl, CREATE_CANNED, { input: { shortcut: 'two words', text: 'x' } }, a.accessToken))).toBe('BAD_USER_INPUT');
    expect(code(await graphqlRequest(server.graphqlUrl, UPDATE_CANNED, { id: hello.id, input: { shortcut: 'bye', text: 'x' } }, a.accessToken))).toBe('CONFLICT');

    const agent = await member('AGENT');
    expect((await graphqlOk(server.graphqlUrl, CANNED, {}, agent)).cannedReplies.map((r: { shortcut: string }) => r.shortcut)).toEqual(['bye', 'hello']);
    expect(code(await graphqlRequest(server.graphqlUrl, CREATE_CANNED, { input: { shortcut: 'mine', text: 'x' } }, agent))).toBe('FORBIDDEN');
    expect(code(await graphqlRequest(server.graphqlUrl, CANNED, {}, await member('ANALYST')))).toBe('FORBIDDEN');
    expect((await graphqlOk(server.graphqlUrl, CANNED, {}, b.accessToken)).cannedReplies).toEqual([]);
    expect(code(await graphqlRequest(server.graphqlUrl, DELETE_CANNED, { id: hello.id }, b.accessToken))).toBe('NOT_FOUND');

    const { updateCannedReply } = await graphqlOk(server.graphqlUrl, UPDATE_CANNED, { id: hello.id, input: { shortcut: 'hi', text: 'Hello again!' } }, a.accessToken);
    expect(updateCannedReply).toMatchObject({ shortcut: 'hi', text: 'Hello again!' });
    await graphqlOk(server.graphqlUrl, DELETE_CANNED, { id: hello.id }, a.accessToken);
    expect((await graphqlOk(server.graphqlUrl, CANNED, {}, agent)).cannedReplies.map((r: { shortcut: string }) => r.shortcut)).toEqual(['bye']);
    const { auditLog } = await graphqlOk(server.graphqlUrl, AUDIT, {}, a.accessToken);
    const actions = auditLog.edges.map((e: { node: { action: string; targetId: string } }) => e.node).filter((n: { targetId: string }) => n.targetId === hello.id);
    expect(actions.map((n: { action: string }) => n.action)).toEqual(['canned_reply.deleted', 'canned_reply.updated', 'canned_reply.created']);
  });
});

describe('the 👍/👎 filter', () => {
  it('lists the conversations where some answer was rated helpful, or unhelpful', async () => {
    const liked = await chat(b);
    const disliked = await chat(b);
    const rate = async (session: { conversationId: string; visitorToken: string }, helpful: boolean) => {
      const [answer] = await ownerQuery(server.databaseUrl, `select id from message where conversation_id = $1 and role = 'ASSISTANT' limit 1`, [session.conversationId]);
      await graphqlOk(server.graphqlUrl, RATE_ANSWER, { conversationId: session.conversationId, messageId: answer!.id, input: { helpful } }, session.visitorToken);
    };
    await rate(liked, true);
    await rate(disliked, false);
    expect(ids(await graphqlOk(server.graphqlUrl, LIST, { filter: { feedback: 'HELPFUL' } }, b.accessToken))).toEqual([liked.conversationId]);
    expect(ids(await graphqlOk(server.graphqlUrl, LIST, { filter: { feedback: 'UNHELPFUL' } }, b.accessToken))).toEqual([disliked.conversationId]);
    expect(code(await graphqlRequest(server.graphqlUrl, LIST, { filter: { feedback: 'MAYBE' } }, b.accessToken))).toBe('BAD_USER_INPUT');
  });
});

describe('typing indicators', () => {
  it('carry the visitor’s typing to members and the holding agent’s to the visitor, throttled and never logged', async () => {
    const session = await chat(a);
    const id = session.conversationId;
    const logged = async () =>
      (await ownerQuery<{ count: number }>(server.databaseUrl, `select count(*)::int as count from conversation_event where conversation_id = $1`, [id]))[0]!.count;
    const loggedBefore = await logged();
    const memberClient = wsClient(server.websocketUrl, a.accessToken);
    const visitorClient = wsClient(server.websocketUrl, session.visitorToken);
    const heardByMember = recordSubscription(memberClient, TYPING, { conversationId: id });
    const heardByVisitor = recordSubscription(visitorClient, TYPING, { conversationId: id });
    try {
      // The subscriptions give no first event: signal (alternating, past the change throttle) until one arrives.
      let typing = false;
      await vi.waitFor(async () => {
        typing = !typing;
        await graphqlOk(server.graphqlUrl, VISITOR_TYPING, { conversationId: id, typing }, session.visitorToken);
        expect(heardByMember.events.length).toBeGreaterThan(0);
      }, { timeout: 15_000, interval: 300 });
      expect(heardByMember.events[0].typingIndicators).toMatchObject({ who: 'VISITOR', name: null });
      // The same state again at once is dropped by the throttle.
      const again = await graphqlOk(server.graphqlUrl, VISITOR_TYPING, { conversationId: id, typing }, session.visitorToken);
      expect(again.setVisitorTyping).toBe(false);

      // Only the agent holding the conversation may signal.
      expect((await graphqlRequest(server.graphqlUrl, AGENT_TYPING, { conversationId: id, typing: true }, a.accessToken)).errors?.[0]?.extensions)
        .toMatchObject({ code: 'CONFLICT', reason: 'NOT_TAKEN_OVER' });
      await graphqlOk(server.graphqlUrl, TAKE_OVER, { conversationId: id }, a.accessToken);
      let agentTyping = false;
      await vi.waitFor(async () => {
        agentTyping = !agentTyping;
        await graphqlOk(server.graphqlUrl, AGENT_TYPING, { conversationId: id, typing: agentTyping }, a.accessToken);
        expect(heardByVisitor.events.length).toBeGreaterThan(0);
      }, { timeout: 15_000, interval: 300 });
      expect(heardByVisitor.events[0].typingIndicators).toMatchObject({ who: 'AGENT', name: expect.any(String) });
      // Each side hears only the other.
      expect(heardByVisitor.events.every((e) => e.typingIndicators.who === 'AGENT')).toBe(true);
      expect(heardByMember.events.every((e) => e.typingIndicators.who === 'VISITOR')).toBe(true);
      expect(code(await graphqlRequest(server.graphqlUrl, AGENT_TYPING, { conversationId: id, typing: true }, await member('AGENT')))).toBe('CONFLICT');
      expect(code(await graphqlRequest(server.graphqlUrl, AGENT_TYPING, { conversationId: id, typing: true }, b.accessToken))).toBe('NOT_FOUND');
      const other = await chat(a);
      expect(code(await graphqlRequest(server.graphqlUrl, VISITOR_TYPING, { conversationId: id, typing: true }, other.visitorToken))).toBe('NOT_FOUND');
      const foreign = recordSubscription(wsClient(server.websocketUrl, b.accessToken), TYPING, { conversationId: id });
      await vi.waitFor(() => expect((foreign.error() as { extensions?: { code?: string } }[] | undefined)?.[0]?.extensions?.code).toBe('NOT_FOUND'));

      // The take-over's status change is the only new logged event.
      expect(await logged()).toBe(loggedBefore + 1);
    } finally {
      await memberClient.dispose();
      await visitorClient.dispose();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedBot, signUpAccount, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest } from '../../test/graphql-test-client.ts';
import { ACCEPT_INVITATION, CREATE_API_KEY, INVITE_MEMBER, SEND_MESSAGE, START_CONVERSATION } from '../../test/operations.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

/* Leads marked handled (issue 17, the Console's Leads screen): who may, what is recorded, the filter, isolation. */
const MARK = /* GraphQL */ `
  mutation Mark($id: ID!, $handled: Boolean!) { markLeadHandled(id: $id, handled: $handled) { id handledAt handledByUserId handledByApiKeyId } }`;
const LEADS = /* GraphQL */ `
  query Leads($handled: Boolean) { leads(first: 50, filter: { handled: $handled }) { totalCount edges { node { id handledAt } } } }`;
const AUDIT = /* GraphQL */ `{ auditLog(first: 20) { edges { node { action actorType actorId targetType targetId } } } }`;

let server: TestServer;
let a: TenantFixture;
let b: TenantFixture;
let aUserId: string;

const code = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;

/** A visitor leaves an address: the conversation's lead, as the reply path captures it. */
async function leadOf(fixture: TenantFixture, email: string): Promise<string> {
  const { startConversation } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: fixture.embedId });
  await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: startConversation.conversationId, text: `Write to me at ${email}` }, startConversation.visitorToken);
  const [row] = await ownerQuery(server.databaseUrl, `select id from lead where conversation_id = $1`, [startConversation.conversationId]);
  return row!.id as string;
}

beforeAll(async () => {
  server = await startTestServer();
  a = await publishedBot(server.graphqlUrl);
  b = await publishedBot(server.graphqlUrl);
  const { me } = await graphqlOk(server.graphqlUrl, `{ me { user { id } } }`, {}, a.accessToken);
  aUserId = me.user.id;
});
afterAll(async () => {
  await server?.stop();
});

describe('marking a lead handled', () => {
  it('records when and which member, is audited, and the handled filter follows it', async () => {
    const open = await leadOf(a, 'open@example.com');
    const done = await leadOf(a, 'done@example.com');
    const before = Date.now();
    const { markLeadHandled } = await graphqlOk(server.graphqlUrl, MARK, { id: done, handled: true }, a.accessToken);
    expect(markLeadHandled.handledByUserId).toBe(aUserId);
    expect(markLeadHandled.handledByApiKeyId).toBeNull();
    expect(Date.parse(markLeadHandled.handledAt)).toBeGreaterThanOrEqual(before - 1000);

    const ids = async (handled: boolean | null) =>
      (await graphqlOk(server.graphqlUrl, LEADS, { handled }, a.accessToken)).leads.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(await ids(true)).toEqual([done]);
    expect(await ids(false)).toContain(open);
    expect(await ids(false)).not.toContain(done);
    expect(await ids(null)).toEqual(expect.arrayContaining([open, done]));

    // Marking it again keeps the first time and handler; reopening clears both.
    const again = await graphqlOk(server.graphqlUrl, MARK, { id: done, handled: true }, a.accessToken);
    expect(again.markLeadHandled.handledAt).toBe(markLeadHandled.handledAt);
    const reopened = await graphqlOk(server.graphqlUrl, MARK, { id: done, handled: false }, a.accessToken);
    expect(reopened.markLeadHandled).toMatchObject({ handledAt: null, handledByUserId: null });

    const { auditLog } = await graphqlOk(server.graphqlUrl, AUDIT, {}, a.accessToken);
    const actions = auditLog.edges.map((e: { node: { action: string; targetId: string; actorId: string } }) => e.node).filter((n: { targetId: string }) => n.targetId === done);
    expect(actions.map((n: { action: string }) => n.action)).toEqual(['lead.reopened', 'lead.handled']);
    expect(actions[1].actorId).toBe(aUserId);
  });

  it('is allowed to the roles and keys that read leads, and records the key', async () => {
    const lead = await leadOf(a, 'key@example.com');
    const { createApiKey } = await graphqlOk(server.graphqlUrl, CREATE_API_KEY, { input: { name: 'CRM', scopes: ['LEADS_READ'] } }, a.accessToken);
    const { markLeadHandled } = await graphqlOk(server.graphqlUrl, MARK, { id: lead, handled: true }, createApiKey.secret);
    expect(markLeadHandled).toMatchObject({ handledByUserId: null, handledByApiKeyId: createApiKey.apiKey.id });

    const { createApiKey: readOnly } = await graphqlOk(server.graphqlUrl, CREATE_API_KEY, { input: { name: 'Reader', scopes: ['READ'] } }, a.accessToken);
    expect(code(await graphqlRequest(server.graphqlUrl, MARK, { id: lead, handled: false }, readOnly.secret))).toBe('FORBIDDEN');

    const asRole = async (role: string) => {
      const person = await signUpAccount(server.graphqlUrl);
      const { inviteMember } = await graphqlOk(server.graphqlUrl, INVITE_MEMBER, { input: { email: person.email, role } }, a.accessToken);
      const { acceptInvitation } = await graphqlOk(server.graphqlUrl, ACCEPT_INVITATION, { token: inviteMember.token }, person.accessToken);
      return graphqlRequest(server.graphqlUrl, MARK, { id: lead, handled: true }, acceptInvitation.accessToken);
    };
    expect(code(await asRole('AGENT'))).toBeUndefined();
    expect(code(await asRole('ANALYST'))).toBe('FORBIDDEN');
  });

  it("cannot touch another tenant's lead, and says so with NOT_FOUND", async () => {
    const theirs = await leadOf(b, 'theirs@example.com');
    expect(code(await graphqlRequest(server.graphqlUrl, MARK, { id: theirs, handled: true }, a.accessToken))).toBe('NOT_FOUND');
    expect(code(await graphqlRequest(server.graphqlUrl, MARK, { id: 'not-an-id', handled: true }, a.accessToken))).toBe('BAD_USER_INPUT');
    const [row] = await ownerQuery(server.databaseUrl, `select handled_at from lead where id = $1`, [theirs]);
    expect(row!.handled_at).toBeNull();
  });
});

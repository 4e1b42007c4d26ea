import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest } from '../../test/graphql-test-client.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

// The conversations filter by visitor (issue 17): the Console lists a visitor's earlier conversations beside
// the one an agent handles. Only that visitor's, only the tenant's, and a malformed id is a typed error.

const START_AS = /* GraphQL */ `
  mutation StartAs($embedId: String!, $visitorId: String) { startConversation(embedId: $embedId, visitorId: $visitorId) { conversationId } }`;
const BY_VISITOR = /* GraphQL */ `
  query ByVisitor($visitorId: String!) {
    conversations(filter: { visitorId: $visitorId }, orderBy: { field: STARTED_AT, direction: ASC }) { totalCount edges { node { id visitorId } } }
  }`;

let server: TestServer;
let a: TenantFixture;
let b: TenantFixture;

const start = async (tenant: TenantFixture, visitorId: string) =>
  (await graphqlOk(server.graphqlUrl, START_AS, { embedId: tenant.embedId, visitorId })).startConversation.conversationId as string;

beforeAll(async () => {
  server = await startTestServer();
  a = await publishedBot(server.graphqlUrl);
  b = await publishedBot(server.graphqlUrl);
});

afterAll(async () => {
  await server?.stop();
});

describe('conversations(filter: { visitorId })', () => {
  it("lists one visitor's conversations of the tenant, and no other tenant's", async () => {
    const first = await start(a, 'returning-visitor-1');
    const second = await start(a, 'returning-visitor-1');
    await start(a, 'someone-else-0001');
    // The same visitor id on another tenant's site is another visitor as far as tenant A is concerned.
    const elsewhere = await start(b, 'returning-visitor-1');

    const { conversations } = await graphqlOk(server.graphqlUrl, BY_VISITOR, { visitorId: 'returning-visitor-1' }, a.accessToken);
    expect(conversations.totalCount).toBe(2);
    expect(conversations.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([first, second]);
    const inB = await graphqlOk(server.graphqlUrl, BY_VISITOR, { visitorId: 'returning-visitor-1' }, b.accessToken);
    expect(inB.conversations.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([elsewhere]);

    const nobody = await graphqlOk(server.graphqlUrl, BY_VISITOR, { visitorId: 'never-seen-visitor' }, a.accessToken);
    expect(nobody.conversations.totalCount).toBe(0);
  });

  it('refuses a visitor id the widget could not have made', async () => {
    const response = await graphqlRequest(server.graphqlUrl, BY_VISITOR, { visitorId: "x' or 1=1 --" }, a.accessToken);
    expect(response.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });
});

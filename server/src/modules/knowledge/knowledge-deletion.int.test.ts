import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRICING_TEXT, publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { ADD_KNOWLEDGE_TEXT, INVITE_MEMBER, ACCEPT_INVITATION, PUBLISH_BOT } from '../../test/operations.ts';
import { signUpAccount } from '../../test/fixtures.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

const DELETE = /* GraphQL */ `mutation($id: ID!) { deleteKnowledgeDocument(id: $id) { id title chunkCount } }`;
const SEARCH = /* GraphQL */ `
  query($botId: ID!, $query: String!, $scope: KnowledgeScope!) { searchKnowledge(botId: $botId, query: $query, scope: $scope) { documentTitle text } }`;
const VERSIONS = /* GraphQL */ `query($botId: ID!) { botVersions(botId: $botId) { edges { node { number knowledgeDocumentCount } } } }`;

const SHIPPING = '# Shipping\nParcels leave the warehouse within two days and arrive by courier.';

let server: TestServer;
let bot: TenantFixture;

beforeAll(async () => {
  server = await startTestServer();
  bot = await publishedBot(server.graphqlUrl, PRICING_TEXT);
});
afterAll(() => server?.stop());

const addText = async (title: string, text: string) =>
  (await graphqlOk(server.graphqlUrl, ADD_KNOWLEDGE_TEXT, { botId: bot.botId, input: { title, text } }, bot.accessToken)).addKnowledgeText as { id: string; chunkCount: number };

const search = async (query: string, scope: 'DRAFT' | 'LIVE') =>
  ((await graphqlOk(server.graphqlUrl, SEARCH, { botId: bot.botId, query, scope }, bot.accessToken)).searchKnowledge as { documentTitle: string }[])
    .map((p) => p.documentTitle);

describe('deleteKnowledgeDocument', () => {
  it('deletes a document and its passages: the draft and the published versions stop finding it', async () => {
    const shipping = await addText('Shipping guide', SHIPPING);
    await graphqlOk(server.graphqlUrl, PUBLISH_BOT, { botId: bot.botId }, bot.accessToken);
    expect(await search('When do parcels arrive by courier?', 'LIVE')).toContain('Shipping guide');

    const { deleteKnowledgeDocument } = await graphqlOk(server.graphqlUrl, DELETE, { id: shipping.id }, bot.accessToken);
    expect(deleteKnowledgeDocument).toEqual({ id: shipping.id, title: 'Shipping guide', chunkCount: shipping.chunkCount });

    expect(await search('When do parcels arrive by courier?', 'DRAFT')).not.toContain('Shipping guide');
    expect(await search('When do parcels arrive by courier?', 'LIVE')).not.toContain('Shipping guide');
    const chunks = await ownerQuery(server.databaseUrl, 'select count(*)::int as n from knowledge_chunk where document_id = $1', [shipping.id]);
    expect(chunks[0]!.n).toBe(0);
    const audited = await ownerQuery(server.databaseUrl, `select actor_type, target_id, metadata from audit_event where action = 'knowledge.deleted'`);
    expect(audited).toEqual([{ actor_type: 'user', target_id: shipping.id, metadata: { botId: bot.botId, title: 'Shipping guide' } }]);
    // The other document is untouched, and the next publication freezes only what is left.
    expect(await search('How much does the Pro plan cost?', 'LIVE')).toContain('Price list');
    await graphqlOk(server.graphqlUrl, PUBLISH_BOT, { botId: bot.botId }, bot.accessToken);
    const { botVersions } = await graphqlOk(server.graphqlUrl, VERSIONS, { botId: bot.botId }, bot.accessToken);
    expect(botVersions.edges[0].node.knowledgeDocumentCount).toBe(1);
  });

  it('answers NOT_FOUND for a deleted or unknown document and BAD_USER_INPUT for a malformed id', async () => {
    const again = await addText('Again', SHIPPING);
    await graphqlOk(server.graphqlUrl, DELETE, { id: again.id }, bot.accessToken);
    const twice = await graphqlRequest(server.graphqlUrl, DELETE, { id: again.id }, bot.accessToken);
    expect(twice.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    const malformed = await graphqlRequest(server.graphqlUrl, DELETE, { id: 'not-an-id' }, bot.accessToken);
    expect(malformed.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('refuses members without knowledge:write and leaves the document in place', async () => {
    const kept = await addText('Kept', SHIPPING);
    const viewer = await signUpAccount(server.graphqlUrl);
    const { inviteMember } = await graphqlOk(server.graphqlUrl, INVITE_MEMBER, { input: { email: viewer.email, role: 'VIEWER' } }, bot.accessToken);
    const { acceptInvitation } = await graphqlOk(server.graphqlUrl, ACCEPT_INVITATION, { token: inviteMember.token }, viewer.accessToken);
    const refused = await graphqlRequest(server.graphqlUrl, DELETE, { id: kept.id }, acceptInvitation.accessToken);
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const rows = await ownerQuery(server.databaseUrl, 'select count(*)::int as n from knowledge_document where id = $1', [kept.id]);
    expect(rows[0]!.n).toBe(1);
  });
});

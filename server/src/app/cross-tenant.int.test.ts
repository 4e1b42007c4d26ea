import { readFile } from 'node:fs/promises';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedBot, signUpAccount, type TenantFixture } from '../test/fixtures.ts';
import { graphqlOk, graphqlRequest, recordSubscription, wsClient } from '../test/graphql-test-client.ts';
import { CONVERSATION_EVENTS, CREATE_API_KEY, INVITE_MEMBER, SEND_MESSAGE, START_CONVERSATION } from '../test/operations.ts';
import { ownerQuery } from '../test/owner-database.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';
import { SCHEMA_FILE } from './schema-sdl.ts';

/**
 * Tenant isolation, proven from the schema itself: every query and mutation that takes an ID is
 * called with tenant A's credentials and each of tenant B's real IDs, and must answer NOT_FOUND.
 * New fields are covered automatically because the list comes from schema/schema.graphql.
 */
let server: TestServer;
let a: TenantFixture & { visitorToken: string; apiKey: string };
let bIds: string[];

async function prepareTenant() {
  const bot = await publishedBot(server.graphqlUrl);
  const { startConversation: session } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
  await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'How much is Pro?' }, session.visitorToken);
  const key = await graphqlOk(server.graphqlUrl, CREATE_API_KEY, { input: { name: 'all', scopes: ['READ', 'WRITE', 'PUBLISH', 'ANALYTICS'] } }, bot.accessToken);
  const member = await signUpAccount(server.graphqlUrl);
  await graphqlOk(server.graphqlUrl, INVITE_MEMBER, { input: { email: member.email, role: 'VIEWER' } }, bot.accessToken);
  return { ...bot, visitorToken: session.visitorToken as string, conversationId: session.conversationId as string, apiKey: key.createApiKey.secret as string };
}

beforeAll(async () => {
  server = await startTestServer({ MASCOT_OFFLINE_TOKEN_DELAY_MS: '0' });
  a = await prepareTenant();
  const b = await prepareTenant();
  // Every id tenant B owns, of every kind, read past row-level security.
  const rows = await ownerQuery<{ id: string }>(
    server.databaseUrl,
    `select id from tenant where id = $1
     union all select id from bot where tenant_id = $1 union all select id from bot_version where tenant_id = $1
     union all select id from knowledge_document where tenant_id = $1 union all select id from conversation where tenant_id = $1
     union all select id from message where tenant_id = $1 union all select id from api_key where tenant_id = $1
     union all select id from invitation where tenant_id = $1 union all select user_id from membership where tenant_id = $1`,
    [b.tenantId],
  );
  bIds = rows.map((r) => r.id);
  expect(bIds.length).toBeGreaterThanOrEqual(9);
});
afterAll(() => server?.stop());

/** Every event of one visitor exchange with a bot, serialized. */
async function replyEvents(embedId: string, question: string): Promise<string> {
  const { startConversation: session } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId });
  const client = wsClient(server.websocketUrl, session.visitorToken);
  const events = recordSubscription(client, CONVERSATION_EVENTS, { conversationId: session.conversationId });
  await events.waitFor((e) => e.conversationEvents.__typename === 'ConversationSubscribed');
  await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: question }, session.visitorToken);
  await events.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
  await client.dispose();
  return JSON.stringify(events.events);
}

function placeholder(type: GraphQLInputType, id: string): unknown {
  if (isNonNullType(type)) return placeholder(type.ofType, id);
  if (isListType(type)) return [placeholder(type.ofType, id)];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]!.value;
  if (isInputObjectType(named)) {
    return Object.fromEntries(
      Object.values(named.getFields()).filter((f) => isNonNullType(f.type)).map((f) => [f.name, placeholder(f.type, id)]),
    );
  }
  if (isScalarType(named)) {
    return ({ ID: id, String: 'probe text', Int: 1, Float: 1, Boolean: false, JSON: {}, JSONObject: {} } as Record<string, unknown>)[named.name] ?? 'probe';
  }
  return null;
}

const takesAnId = (arg: GraphQLArgument) => getNamedType(arg.type).name === 'ID';

/**
 * Inputs whose placeholder would be refused for its shape whatever the tenant (BAD_USER_INPUT before any
 * lookup): these get a well-formed value, so the probe reaches the lookup of the id.
 */
const WELL_FORMED_INPUTS: Record<string, Record<string, unknown>> = {
  // One of startUrl or sitemapUrl is required; neither is a required GraphQL field.
  addWebsiteSource: { input: { startUrl: 'https://probe.example/' } },
};

function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, id: string) {
  // Required arguments and every ID argument get a value; optional ones (pagination…) are left out.
  const args = field.args.filter((arg) => isNonNullType(arg.type) || takesAnId(arg));
  const variables = { ...Object.fromEntries(args.map((arg) => [arg.name, placeholder(arg.type, id)])), ...WELL_FORMED_INPUTS[field.name] };
  const declared = args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
  const passed = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return { document: `${kind} Probe(${declared}) { ${field.name}(${passed})${selection} }`, variables };
}

describe('tenant isolation across every ID-taking field', () => {
  it('answers NOT_FOUND to tenant A for each of tenant B\'s ids, for every query and mutation', async () => {
    const schema = buildSchema(await readFile(SCHEMA_FILE, 'utf8'));
    const roots = [['query', schema.getQueryType()!], ['mutation', schema.getMutationType()!]] as const;
    const probed: string[] = [];
    for (const [kind, root] of roots) {
      for (const field of Object.values(root.getFields()).filter((f) => f.args.some(takesAnId))) {
        probed.push(field.name);
        // One field's probes at once (every id, every credential): the list grows with the schema, and one
        // request after another made this the slowest test of the suite.
        await Promise.all(bIds.map(async (id) => {
          const { document, variables } = operationFor(kind, field, id);
          const codes = await Promise.all([a.accessToken, a.apiKey, a.visitorToken].map(async (credential) => {
            const result = await graphqlRequest(server.graphqlUrl, document, variables, credential);
            expect(result.data?.[field.name] ?? null, `${field.name}(${id}) leaked data`).toBeNull();
            return result.errors?.[0]?.extensions?.code ?? 'NO_ERROR';
          }));
          // Credentials of the wrong kind may be refused outright; the right kind must see nothing.
          expect(codes.every((c) => ['NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'].includes(c)), `${field.name}: ${codes}`).toBe(true);
          expect(codes, `${field.name}(${id})`).toContain('NOT_FOUND');
        }));
      }
    }
    expect(probed).toEqual(
      expect.arrayContaining(['bot', 'publishBot', 'rollbackBot', 'updateBotDraft', 'botVersionDiff', 'addKnowledgeText', 'sendMessage', 'revokeApiKey', 'removeMember']),
    );
  }, 180_000); // ~2,000 requests, growing with the schema

  it('refuses tenant B\'s conversation events to tenant A\'s visitor and members over graphql-ws', async () => {
    const bConversations = await ownerQuery<{ id: string }>(server.databaseUrl, `select id from conversation where tenant_id <> $1`, [a.tenantId]);
    for (const token of [a.visitorToken, a.accessToken]) {
      const client = wsClient(server.websocketUrl, token);
      for (const { id } of bConversations) {
        const events = recordSubscription(client, CONVERSATION_EVENTS, { conversationId: id });
        await expect(events.waitFor(() => true)).rejects.toSatisfy((errors: any) => errors[0].extensions.code === 'NOT_FOUND');
      }
      await client.dispose();
    }
  });

  it('never lets tenant B\'s knowledge reach tenant A\'s answers (RAG canary)', async () => {
    const canary = `canary-${crypto.randomUUID()}`;
    const b = await publishedBot(server.graphqlUrl, `# Secret\nThe vault password of the Pro plan is ${canary}.`);
    const question = 'What is the vault password of the Pro plan?';
    // Positive control: asked of B's own bot, the question does retrieve the canary.
    expect(await replyEvents(b.embedId, question)).toContain(canary);
    expect(await replyEvents(a.embedId, question)).not.toContain(canary);
  });

  it('leaks nothing over many randomized attempts with made-up ids', async () => {
    for (let i = 0; i < 40; i++) {
      const id = crypto.randomUUID();
      const result = await graphqlRequest(server.graphqlUrl, `query($id: ID!) { bot(id: $id) { id } }`, { id }, a.accessToken);
      expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../../core/db/index.ts';
import { subscribeToEvents, type StreamRecorder, type VisitorSession, startVisitorSession } from '../../test/conversation-stream.ts';
import { PRICING_TEXT, publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest, type GraphQLResponse } from '../../test/graphql-test-client.ts';
import { ADD_KNOWLEDGE_TEXT, CREATE_API_KEY, CREATE_BOT, PUBLISH_BOT, SEND_MESSAGE } from '../../test/operations.ts';
import { rawRequest } from '../../test/raw-http.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';
import { visitorActivity } from '../../test/visitor-activity.ts';

const CONVERSATIONS = /* GraphQL */ `
  query Conversations($filter: ConversationFilter, $orderBy: ConversationOrder, $first: Int, $after: String, $last: Int, $before: String) {
    conversations(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { cursor node { id status startedAt lastMessageAt hasLead messageCount bot { id name } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;
const CONVERSATION = /* GraphQL */ `
  query Conversation($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    conversation(id: $id) {
      id visitorId status variantId hostOrigin startedAt lastMessageAt hasLead messageCount
      bot { id name }
      handoff { offeredAt requestedAt reason accepted }
      agent { userId apiKeyId name }
      rating { rating comment }
      messages(first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { id role text createdAt authorName authorUserId sources { marker documentTitle } usage { provider model inputTokens outputTokens costMicroUsd cacheHit } } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
  }`;
const CONVERSATION_LEAD = /* GraphQL */ `query Lead($id: ID!) { conversation(id: $id) { hasLead lead { email name } } }`;
const VISITOR_MESSAGES = /* GraphQL */ `
  query VisitorMessages($conversationId: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    visitorMessages(conversationId: $conversationId, first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { id role text sources { marker } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;
const TAKE_OVER = /* GraphQL */ `
  mutation TakeOver($conversationId: ID!) { takeOverConversation(conversationId: $conversationId, displayName: "Sam") { conversation { id status } } }`;
const AGENT_SAYS = /* GraphQL */ `
  mutation AgentSays($conversationId: ID!, $text: String!) { sendAgentMessage(conversationId: $conversationId, text: $text) { id } }`;

const HANDLED = new Set(['ReplyCompleted', 'ReplyFailed', 'MessagePosted']);
/** A cell a spreadsheet would run as a formula; the CSV must neutralize it. */
const FORMULA = '=HYPERLINK("https://evil.example") zebrafish';

let server: TestServer;
let a: TenantFixture;
let b: TenantFixture;
let secondBotId: string;
/** Tenant A's conversations in the order they started. */
const started: { id: string; token: string }[] = [];
let priced: string;
let withLead: string;
let withAgent: string;
let withFormula: string;
let bConversation: string;
const streams: { client: { dispose(): unknown }; recorder: StreamRecorder }[] = [];

/** A visitor conversation whose `say` returns once the message was handled (answered, or relayed to people). */
async function chat(embedId: string) {
  const session: VisitorSession = await startVisitorSession(server.graphqlUrl, embedId);
  const stream = await subscribeToEvents(server.websocketUrl, session, null);
  streams.push(stream);
  const handled = () => stream.recorder.events.filter((e) => HANDLED.has(e.conversationEvents.__typename)).length;
  const say = async (text: string) => {
    const before = handled();
    await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text }, session.visitorToken);
    await stream.recorder.waitFor(() => handled() > before);
  };
  started.push({ id: session.conversationId, token: session.visitorToken });
  return { id: session.conversationId, token: session.visitorToken, say };
}

type Page = { totalCount: number; edges: { cursor: string; node: any }[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string } };
const list = async (variables: Record<string, unknown>, token = a.accessToken): Promise<Page> =>
  (await graphqlOk(server.graphqlUrl, CONVERSATIONS, variables, token)).conversations;
const ids = (page: Page) => page.edges.map((edge) => edge.node.id as string);
const code = (result: GraphQLResponse) => result.errors?.[0]?.extensions?.code;
const exportUrl = (path: string) => `${server.url}${path}`;
const DAY_MS = 86_400_000;
/** A range around now (every conversation of the file), within the export's limit of a year. */
const aroundNow = () => `from=${new Date(Date.now() - DAY_MS).toISOString().slice(0, 10)}&to=${new Date(Date.now() + DAY_MS).toISOString()}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  server = await startTestServer();
  a = await publishedBot(server.graphqlUrl);
  b = await publishedBot(server.graphqlUrl);
  const { createBot } = await graphqlOk(server.graphqlUrl, CREATE_BOT, { input: { name: 'Second' } }, a.accessToken);
  await graphqlOk(server.graphqlUrl, ADD_KNOWLEDGE_TEXT, { botId: createBot.id, input: { title: 'Price list', text: PRICING_TEXT } }, a.accessToken);
  await graphqlOk(server.graphqlUrl, PUBLISH_BOT, { botId: createBot.id }, a.accessToken);
  secondBotId = createBot.id;

  // Tenant A, in this order: a priced answer with a citation; a lead and a rating (the widget's contact form);
  // a conversation an agent took over on the second bot; a formula typed by a visitor; two plain greetings.
  const first = await chat(a.embedId);
  await first.say('How much does the Pro plan cost?');
  priced = first.id;
  const activity = await visitorActivity(server, a.embedId, { visitorId: 'visitor-history-1', question: 'When is support open?', email: 'ada@example.com' });
  withLead = activity.conversationId;
  started.push({ id: withLead, token: '' });
  const agentChat = await chat(createBot.embedId);
  await agentChat.say('Hello there');
  await graphqlOk(server.graphqlUrl, TAKE_OVER, { conversationId: agentChat.id }, a.accessToken);
  await graphqlOk(server.graphqlUrl, AGENT_SAYS, { conversationId: agentChat.id, text: 'Sam here, how can I help?' }, a.accessToken);
  withAgent = agentChat.id;
  const formula = await chat(a.embedId);
  await formula.say(FORMULA);
  withFormula = formula.id;
  for (const text of ['Hi', 'Good morning']) await (await chat(a.embedId)).say(text);
  // The first conversation speaks last, so ordering by the last message puts it first.
  await first.say('And the Starter plan?');

  const other = await chat(b.embedId);
  await other.say('How much does the Pro plan cost?');
  bConversation = other.id;
  started.pop();
});
afterAll(async () => {
  for (const stream of streams) {
    await stream.recorder.close();
    await stream.client.dispose();
  }
  await server?.stop();
});

describe('conversations (partner API)', () => {
  it('lists the tenant\'s conversations newest first with bot, counts and totalCount', async () => {
    const page = await list({ first: 100 });
    expect(ids(page)).toEqual(started.map((c) => c.id).reverse());
    expect(page.totalCount).toBe(6);
    expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    const byId = new Map(page.edges.map((edge) => [edge.node.id, edge.node]));
    expect(byId.get(priced)).toMatchObject({ status: 'BOT', hasLead: false, messageCount: 4, bot: { id: a.botId, name: 'Pip' } });
    expect(byId.get(withLead)).toMatchObject({ hasLead: true, messageCount: 2 });
    expect(byId.get(withAgent)).toMatchObject({ status: 'WITH_AGENT', bot: { id: secondBotId, name: 'Second' } });

    const byLastMessage = await list({ first: 100, orderBy: { field: 'LAST_MESSAGE_AT', direction: 'DESC' } });
    expect(ids(byLastMessage)[0]).toBe(priced);
    const oldestFirst = await list({ first: 100, orderBy: { field: 'STARTED_AT', direction: 'ASC' } });
    expect(ids(oldestFirst)).toEqual(started.map((c) => c.id));
  });

  it('filters by bot, status, handoff, lead, time and message text', async () => {
    const only = async (filter: Record<string, unknown>) => ids(await list({ first: 100, filter })).sort();
    expect(await only({ botId: secondBotId })).toEqual([withAgent]);
    expect(await only({ status: 'WITH_AGENT' })).toEqual([withAgent]);
    expect(await only({ handedOff: true })).toEqual([withAgent]);
    expect(await only({ handedOff: false })).toHaveLength(5);
    expect(await only({ hasLead: true })).toEqual([withLead]);
    expect(await only({ hasLead: false })).not.toContain(withLead);
    expect(await only({ search: 'ZEBRAFISH' })).toEqual([withFormula]);
    expect(await only({ search: 'starter PLAN' })).toEqual([priced]);
    // LIKE wildcards are taken literally: no message holds a percent sign.
    expect(await only({ search: '%%' })).toEqual([]);
    expect(await only({ search: 'zebrafish', botId: secondBotId })).toEqual([]);

    const all = await list({ first: 100, orderBy: { field: 'STARTED_AT', direction: 'ASC' } });
    const startedAt = all.edges.map((edge) => edge.node.startedAt as string);
    const window = await list({ first: 100, filter: { from: startedAt[1], to: startedAt[3] }, orderBy: { field: 'STARTED_AT', direction: 'ASC' } });
    expect(ids(window)).toEqual([started[1]!.id, started[2]!.id]);
    expect(window.totalCount).toBe(2);
  });

  it('pages forward and backward with stable cursors and pageInfo', async () => {
    const everything = ids(await list({ first: 100 }));
    const forward: string[] = [];
    let page = await list({ first: 4 });
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, startCursor: page.edges[0]!.cursor, endCursor: page.edges[3]!.cursor });
    forward.push(...ids(page));
    page = await list({ first: 4, after: page.pageInfo.endCursor });
    expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(page.totalCount).toBe(6);
    forward.push(...ids(page));
    expect(forward).toEqual(everything);

    const backward: string[] = [];
    page = await list({ last: 4 });
    expect(ids(page)).toEqual(everything.slice(2));
    expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    backward.unshift(...ids(page));
    page = await list({ last: 4, before: page.pageInfo.startCursor });
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    backward.unshift(...ids(page));
    expect(backward).toEqual(everything);

    // A window between two cursors.
    const between = await list({ first: 10, after: page.edges[0]!.cursor, before: (await list({ last: 1 })).pageInfo.startCursor });
    expect(ids(between)).toEqual(everything.slice(1, 5));
  });

  it('refuses bad input with BAD_USER_INPUT, never a server error', async () => {
    const forged = Buffer.from('["2026-01-01","nope"]').toString('base64url');
    for (const variables of [
      { first: 2, after: 'not-a-cursor' },
      { last: 2, before: forged },
      { first: 2, last: 2 },
      { first: 0 },
      { last: 101 },
      { filter: { search: 'x' } },
      { filter: { botId: 'not-an-id' } },
      { filter: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } },
      { filter: { from: 'yesterday' } },
      { orderBy: { field: 'NAME', direction: 'ASC' } },
    ]) {
      const result = await graphqlRequest(server.graphqlUrl, CONVERSATIONS, variables, a.accessToken);
      expect(code(result), JSON.stringify(variables)).toBe('BAD_USER_INPUT');
    }
    const badCursor = await graphqlRequest(server.graphqlUrl, CONVERSATIONS, { last: 2, before: forged }, a.accessToken);
    expect(badCursor.errors?.[0]?.extensions?.['fieldErrors']).toEqual([{ field: 'before', message: 'is not a cursor from this API' }]);
    expect(code(await graphqlRequest(server.graphqlUrl, CONVERSATION, { id: 'nope' }, a.accessToken))).toBe('BAD_USER_INPUT');
    expect(code(await graphqlRequest(server.graphqlUrl, CONVERSATION, { id: priced, first: 1, after: 'nope' }, a.accessToken))).toBe('BAD_USER_INPUT');
  });

  it('reads one conversation with its messages, sources, costs, handoff and rating', async () => {
    const { conversation } = await graphqlOk(server.graphqlUrl, CONVERSATION, { id: priced, first: 2 }, a.accessToken);
    expect(conversation).toMatchObject({ id: priced, status: 'BOT', agent: null, handoff: { accepted: false, requestedAt: null }, rating: null, messageCount: 4 });
    const [question, answer] = conversation.messages.edges.map((edge: any) => edge.node);
    expect(question).toMatchObject({ role: 'VISITOR', text: 'How much does the Pro plan cost?', usage: null, sources: [] });
    expect(answer.role).toBe('ASSISTANT');
    expect(answer.text).toMatch(/29 dollars/);
    expect(answer.sources[0]).toMatchObject({ marker: 1, documentTitle: 'Price list' });
    expect(answer.usage).toMatchObject({ provider: expect.any(String), cacheHit: false, costMicroUsd: expect.any(Number) });
    expect(conversation.messages.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const rest = await graphqlOk(server.graphqlUrl, CONVERSATION, { id: priced, first: 10, after: conversation.messages.pageInfo.endCursor }, a.accessToken);
    expect(rest.conversation.messages.edges.map((edge: any) => edge.node.text)[0]).toBe('And the Starter plan?');
    const latest = await graphqlOk(server.graphqlUrl, CONVERSATION, { id: priced, last: 1 }, a.accessToken);
    expect(latest.conversation.messages.edges.map((edge: any) => edge.node.role)).toEqual(['ASSISTANT']);
    expect(latest.conversation.messages.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const taken = (await graphqlOk(server.graphqlUrl, CONVERSATION, { id: withAgent }, a.accessToken)).conversation;
    expect(taken).toMatchObject({
      status: 'WITH_AGENT', handoff: { accepted: true, reason: 'AGENT_INITIATED', requestedAt: expect.any(String) }, agent: { name: 'Sam', apiKeyId: null },
    });
    // The take-over is stored as a SYSTEM notice between what was said; the count is of what was said.
    expect(taken.messages.edges.map((edge: any) => [edge.node.role, edge.node.authorName])).toEqual([['VISITOR', null], ['ASSISTANT', null], ['SYSTEM', null], ['AGENT', 'Sam']]);
    expect(taken.messageCount).toBe(3);
    expect((await graphqlOk(server.graphqlUrl, CONVERSATION, { id: withLead }, a.accessToken)).conversation.rating).toEqual({ rating: 5, comment: null });
  });

  it('gives contact details only to those who may read leads', async () => {
    const owner = await graphqlOk(server.graphqlUrl, CONVERSATION_LEAD, { id: withLead }, a.accessToken);
    expect(owner.conversation).toEqual({ hasLead: true, lead: { email: 'ada@example.com', name: 'Ada Visitor' } });
    const { createApiKey } = await graphqlOk(server.graphqlUrl, CREATE_API_KEY, { input: { name: 'crm', scopes: ['READ'] } }, a.accessToken);
    const partner = await graphqlRequest(server.graphqlUrl, CONVERSATION_LEAD, { id: withLead }, createApiKey.secret);
    expect(partner.data?.['conversation']).toEqual({ hasLead: true, lead: null });
    expect(code(partner)).toBe('FORBIDDEN');
    expect((await list({ first: 1 }, createApiKey.secret)).totalCount).toBe(6);
    const analytics = await graphqlOk(server.graphqlUrl, CREATE_API_KEY, { input: { name: 'charts', scopes: ['ANALYTICS'] } }, a.accessToken);
    expect(code(await graphqlRequest(server.graphqlUrl, CONVERSATIONS, { first: 1 }, analytics.createApiKey.secret))).toBe('FORBIDDEN');
  });

  it("lets a visitor restore their own conversation's history, and nothing else", async () => {
    const own = started[0]!;
    const latest = (await graphqlOk(server.graphqlUrl, VISITOR_MESSAGES, { conversationId: own.id, last: 2 }, own.token)).visitorMessages;
    expect(latest.edges.map((edge: any) => edge.node.role)).toEqual(['VISITOR', 'ASSISTANT']);
    expect(latest.edges[0].node.text).toBe('And the Starter plan?');
    expect(latest.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const earlier = (await graphqlOk(server.graphqlUrl, VISITOR_MESSAGES, { conversationId: own.id, last: 10, before: latest.pageInfo.startCursor }, own.token)).visitorMessages;
    expect(earlier.edges.map((edge: any) => edge.node.text)[0]).toBe('How much does the Pro plan cost?');
    expect(earlier.edges[1].node.sources.length).toBeGreaterThan(0);
    expect(earlier.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });

    for (const other of [withFormula, bConversation]) {
      const refused = await graphqlRequest(server.graphqlUrl, VISITOR_MESSAGES, { conversationId: other }, own.token);
      expect(code(refused)).toBe('NOT_FOUND');
      expect(refused.data?.['visitorMessages'] ?? null).toBeNull();
    }
    expect(code(await graphqlRequest(server.graphqlUrl, CONVERSATIONS, { first: 1 }, own.token))).toBe('UNAUTHENTICATED');
    expect(code(await graphqlRequest(server.graphqlUrl, CONVERSATION, { id: own.id }, own.token))).toBe('UNAUTHENTICATED');
  });

  it('exports one transcript as JSON and as CSV, formulas neutralized', async () => {
    const json = await rawRequest(exportUrl(`/conversations/${priced}/transcript.json`), bearer(a.accessToken));
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.headers['content-disposition']).toBe(`attachment; filename="mascot-transcript-${priced}.json"`);
    const transcript = JSON.parse(json.body.toString('utf8'));
    expect(transcript.conversation).toMatchObject({ id: priced, bot: { id: a.botId, name: 'Pip' }, messageCount: 4 });
    expect(transcript.conversation).not.toHaveProperty('lead');
    expect(transcript.messages.map((m: any) => m.role)).toEqual(['VISITOR', 'ASSISTANT', 'VISITOR', 'ASSISTANT']);
    expect(transcript.messages[1].sources[0].documentTitle).toBe('Price list');
    expect(transcript.messages[1].usage.provider).toEqual(expect.any(String));

    const csv = await rawRequest(exportUrl(`/conversations/${withFormula}/transcript.csv`), bearer(a.accessToken));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.toString('utf8').trim().split('\n');
    expect(lines[0]).toBe(
      'conversation_id,bot_id,bot_name,visitor_id,status,started_at,last_message_at,variant_id,host_origin,message_id,role,author_name,created_at,text,sources,provider,model,input_tokens,output_tokens,cost_micro_usd,notice',
    );
    expect(lines).toHaveLength(3);
    // The quote that keeps a spreadsheet from running it, then CSV's own quoting of the quotes inside.
    expect(lines[1]).toContain(`,"'=HYPERLINK(""https://evil.example"") zebrafish",`);
    expect(lines[1]).toMatch(new RegExp(`^${withFormula},${a.botId},Pip,.*,VISITOR,`));
  });

  it('exports a date range for the tenant or one bot, streamed as JSON and CSV', async () => {
    const range = aroundNow();
    const json = await rawRequest(exportUrl(`/conversations/export.json?${range}`), bearer(a.accessToken));
    expect(json.status).toBe(200);
    // Written as it is read: no length known up front, unlike a document built in memory and sent whole.
    expect(json.headers['transfer-encoding']).toBe('chunked');
    expect(json.headers['content-length']).toBeUndefined();
    const exported = JSON.parse(json.body.toString('utf8'));
    expect(exported.conversations.map((c: any) => c.conversation.id)).toEqual(started.map((c) => c.id));
    expect(exported.conversations.find((c: any) => c.conversation.id === withAgent).messages.map((m: any) => m.role)).toEqual(['VISITOR', 'ASSISTANT', 'SYSTEM', 'AGENT']);

    const csv = await rawRequest(exportUrl(`/conversations/export.csv?${range}&botId=${secondBotId}`), bearer(a.accessToken));
    expect(csv.status).toBe(200);
    const rows = csv.body.toString('utf8').trim().split('\n').slice(1);
    expect(rows).toHaveLength(4);
    expect(rows.every((row) => row.startsWith(`${withAgent},${secondBotId},Second,`))).toBe(true);
    expect(rows[2]).toMatch(/,SYSTEM,,.*,Sam joined the conversation\.,.*,AGENT_JOINED$/);
    expect(rows[3]).toContain(',AGENT,Sam,');

    // Nothing in the range: a valid, empty document.
    const empty = await rawRequest(exportUrl('/conversations/export.json?from=2020-01-01&to=2020-02-01'), bearer(a.accessToken));
    expect(JSON.parse(empty.body.toString('utf8')).conversations).toEqual([]);
  });

  it('answers export errors as JSON with a code', async () => {
    const cases: [string, Record<string, string>, number, string][] = [
      [`/conversations/${priced}/transcript.csv`, {}, 401, 'UNAUTHENTICATED'],
      [`/conversations/${priced}/transcript.json`, { authorization: 'Bearer nonsense' }, 401, 'UNAUTHENTICATED'],
      ['/conversations/not-an-id/transcript.json', bearer(a.accessToken), 422, 'BAD_USER_INPUT'],
      ['/conversations/export.csv?from=2026-13-01&to=2027-01-01', bearer(a.accessToken), 422, 'BAD_USER_INPUT'],
      ['/conversations/export.json?from=2026-01-01', bearer(a.accessToken), 422, 'BAD_USER_INPUT'],
      ['/conversations/export.json?from=2020-01-01&to=2026-01-01', bearer(a.accessToken), 422, 'BAD_USER_INPUT'],
      [`/conversations/export.json?from=2020-01-01&to=2020-06-01&botId=${b.botId}`, bearer(a.accessToken), 404, 'NOT_FOUND'],
    ];
    for (const [path, headers, status, errorCode] of cases) {
      const response = await rawRequest(exportUrl(path), headers);
      expect(response.status, path).toBe(status);
      expect(response.headers['content-type'], path).toMatch(/^application\/json/);
      expect(JSON.parse(response.body.toString('utf8')).error.code, path).toBe(errorCode);
    }
  });
});

describe('tenant isolation of conversation history', () => {
  it("never lets tenant B list, read or export tenant A's conversations", async () => {
    const listed = await list({ first: 100 }, b.accessToken);
    expect(ids(listed)).toEqual([bConversation]);
    expect(listed.totalCount).toBe(1);
    expect(ids(await list({ first: 100, filter: { search: 'zebrafish' } }, b.accessToken))).toEqual([]);
    expect(code(await graphqlRequest(server.graphqlUrl, CONVERSATIONS, { filter: { botId: a.botId } }, b.accessToken))).toBe('NOT_FOUND');
    for (const id of [priced, withLead, withAgent]) {
      const read = await graphqlRequest(server.graphqlUrl, CONVERSATION, { id }, b.accessToken);
      expect(code(read)).toBe('NOT_FOUND');
      expect(read.data?.['conversation'] ?? null).toBeNull();
      for (const format of ['json', 'csv']) {
        const exported = await rawRequest(exportUrl(`/conversations/${id}/transcript.${format}`), bearer(b.accessToken));
        expect(exported.status).toBe(404);
        expect(JSON.parse(exported.body.toString('utf8')).error.code).toBe('NOT_FOUND');
      }
    }
    const range = await rawRequest(exportUrl(`/conversations/export.json?${aroundNow()}`), bearer(b.accessToken));
    expect(JSON.parse(range.body.toString('utf8')).conversations.map((c: any) => c.conversation.id)).toEqual([bConversation]);
  });

  it('is enforced by row-level security too, without the ORM filter', async () => {
    // Plain SQL in a tenant transaction: the ORM's tenant filter does not apply, only PostgreSQL's policies.
    const visible = (tenantId: string) =>
      inTenant(server.orm.em.fork(), tenantId, (tx) =>
        tx.execute<{ conversations: number; messages: number }[]>(
          'select (select count(*)::int from conversation where id = ?) as conversations, (select count(*)::int from message where conversation_id = ?) as messages',
          [priced, priced],
        ),
      );
    expect(await visible(a.tenantId)).toEqual([{ conversations: 1, messages: 4 }]);
    expect(await visible(b.tenantId)).toEqual([{ conversations: 0, messages: 0 }]);
  });
});

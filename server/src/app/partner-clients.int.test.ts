import { randomUUID } from 'node:crypto';
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { Client as UrqlClient, cacheExchange, fetchExchange, type CombinedError } from '@urql/core';
import { Kind, parse } from 'graphql';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { publishedBot, type TenantFixture } from '../test/fixtures.ts';
import { startVisitorSession, subscribeToEvents, type StreamEvent } from '../test/conversation-stream.ts';
import { graphqlOk, recordSubscription, wsClient } from '../test/graphql-test-client.ts';
import { CREATE_API_KEY, SEND_MESSAGE } from '../test/operations.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';
import { visitorActivity } from '../test/visitor-activity.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../test/webhook-receiver.ts';

/**
 * The partner API through the GraphQL clients partners use, each set up as its documentation shows:
 * Apollo Client 4 with `useGETForQueries` and urql with its default `preferGetMethod: 'within-url-limit'`,
 * so queries travel over GET (without a CSRF preflight header: urql sends none) and mutations over POST.
 * Conversations, leads, handoff, the bot lifecycle, Idempotency-Key and webhook test events, end to end.
 */

type Data = Record<string, any>;
type Variables = Record<string, unknown>;

/** What a partner client does here, whichever library is behind it. */
interface PartnerClient {
  /** Runs a query or mutation; throws on any error. `idempotencyKey` goes in the Idempotency-Key header. */
  run(document: string, variables?: Variables, idempotencyKey?: string): Promise<Data>;
  /** Runs it and gives the typed error codes instead of throwing. */
  attempt(document: string, variables?: Variables): Promise<{ data: Data | null | undefined; codes: unknown[] }>;
  /** The HTTP method of every request the client sent, in order. */
  methods: string[];
}

/** The platform's fetch, noting each request's method: the clients take a `fetch` option for this. */
const recordingFetch = (methods: string[]): typeof fetch => (input, init) => {
  methods.push(init?.method ?? 'GET');
  return fetch(input, init);
};

const isMutation = (document: string) =>
  parse(document).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'mutation');

/** Both clients' caches add __typename to every selection; dropped here so assertions name only what was asked. */
const withoutTypenames = (data: unknown): Data | null | undefined =>
  data == null ? (data as null | undefined) : JSON.parse(JSON.stringify(data, (key, value: unknown) => (key === '__typename' ? undefined : value)));

const failure = (codes: unknown[], data: unknown) => new Error(`GraphQL errors ${JSON.stringify(codes)} (data ${JSON.stringify(data)})`);

/** Apollo Client 4: an HttpLink with the key, GET for queries; per-request headers through the operation context. */
function apolloClient(url: string, token: string): PartnerClient {
  const methods: string[] = [];
  const client = new ApolloClient({
    link: new HttpLink({ uri: url, headers: { authorization: `Bearer ${token}` }, useGETForQueries: true, fetch: recordingFetch(methods) }),
    cache: new InMemoryCache(),
  });
  const attempt = async (document: string, variables: Variables = {}, idempotencyKey?: string) => {
    const query = parse(document);
    const result = isMutation(document)
      ? await client.mutate({
        mutation: query, variables, errorPolicy: 'all',
        context: { headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {} },
      })
      // network-only: each read here must see what the previous step changed.
      : await client.query({ query, variables, errorPolicy: 'all', fetchPolicy: 'network-only' });
    if (result.error && !CombinedGraphQLErrors.is(result.error)) throw result.error;
    const codes = result.error ? result.error.errors.map((e) => e.extensions?.['code']) : [];
    return { data: withoutTypenames(result.data), codes };
  };
  return {
    methods,
    attempt: (document, variables) => attempt(document, variables),
    async run(document, variables, idempotencyKey) {
      const { data, codes } = await attempt(document, variables, idempotencyKey);
      if (codes.length > 0 || !data) throw failure(codes, data);
      return data;
    },
  };
}

/** urql: the key in fetchOptions, its default exchanges; per-request headers through the operation's fetchOptions. */
function urqlClient(url: string, token: string): PartnerClient {
  const methods: string[] = [];
  const authorization = `Bearer ${token}`;
  const client = new UrqlClient({
    url,
    exchanges: [cacheExchange, fetchExchange],
    fetchOptions: { headers: { authorization } },
    fetch: recordingFetch(methods),
    requestPolicy: 'network-only',
  });
  const codesOf = (error: CombinedError | undefined) => {
    if (error?.networkError) throw error.networkError;
    return error?.graphQLErrors.map((e) => e.extensions['code']) ?? [];
  };
  const attempt = async (document: string, variables: Variables = {}, idempotencyKey?: string) => {
    const query = parse(document);
    const result = isMutation(document)
      ? await client.mutation(query, variables, {
        fetchOptions: { headers: { authorization, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) } },
      }).toPromise()
      : await client.query(query, variables).toPromise();
    return { data: withoutTypenames(result.data), codes: codesOf(result.error) };
  };
  return {
    methods,
    attempt: (document, variables) => attempt(document, variables),
    async run(document, variables, idempotencyKey) {
      const { data, codes } = await attempt(document, variables, idempotencyKey);
      if (codes.length > 0 || !data) throw failure(codes, data);
      return data;
    },
  };
}

const CONVERSATIONS = /* GraphQL */ `
  query Conversations($filter: ConversationFilter, $first: Int, $after: String, $last: Int, $before: String) {
    conversations(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id hasLead messageCount } }
    }
  }`;
const MESSAGES = /* GraphQL */ `
  query Messages($id: ID!) { conversation(id: $id) { id messages(last: 10) { pageInfo { hasPreviousPage } edges { node { role text authorName } } } } }`;
const LEADS = /* GraphQL */ `
  query Leads($botId: ID, $filter: LeadFilterInput) {
    leads(botId: $botId, filter: $filter, last: 5) { totalCount pageInfo { hasNextPage hasPreviousPage } edges { node { conversationId email wantsContact } } }
  }`;
const QUEUE = /* GraphQL */ `subscription Queue { waitingConversations { change conversation { id } } }`;
const AVAILABILITY = /* GraphQL */ `query Availability { handoffAvailability { onlineAgentIds } }`;
const TAKE_OVER = /* GraphQL */ `
  mutation TakeOver($conversationId: ID!) { takeOverConversation(conversationId: $conversationId) { conversation { id status agentName } } }`;
const AGENT_SAYS = /* GraphQL */ `
  mutation AgentSays($conversationId: ID!, $text: String!) { sendAgentMessage(conversationId: $conversationId, text: $text) { id role } }`;
const HAND_BACK = /* GraphQL */ `mutation HandBack($conversationId: ID!) { handBackConversation(conversationId: $conversationId) { id status } }`;
const CREATE_BOT = /* GraphQL */ `mutation CreateBot($input: CreateBotInput!) { createBot(input: $input) { id name } }`;
const ARCHIVE_BOT = /* GraphQL */ `mutation Archive($id: ID!) { archiveBot(id: $id) { id status } }`;
const DELETE_BOT = /* GraphQL */ `mutation Delete($id: ID!) { deleteBot(id: $id) { id status } }`;
const BOTS = /* GraphQL */ `
  query Bots($status: BotStatus, $last: Int) { bots(status: $status, last: $last) { totalCount edges { node { id name status } } } }`;
const USAGE = /* GraphQL */ `query Usage { usage { bots { used limit } } }`;
const CREATE_ENDPOINT = /* GraphQL */ `
  mutation Endpoint($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } secret } }`;
const SEND_TEST_EVENT = /* GraphQL */ `mutation TestEvent($endpointId: ID!) { sendTestWebhookEvent(endpointId: $endpointId) { id eventType status } }`;
const DELIVERIES = /* GraphQL */ `
  query Deliveries($endpointId: ID!, $status: WebhookDeliveryStatus) {
    webhookDeliveries(endpointId: $endpointId, status: $status, first: 10) { totalCount edges { node { id eventType status } } }
  }`;

/** A visitor's HandoffStatusChanged event to `status` (CONVERSATION_EVENTS_AFTER selects its status). */
const handoffStatus = (status: string) => (e: { conversationEvents: StreamEvent }) => (e.conversationEvents as StreamEvent & { status?: string }).status === status;

let server: TestServer;

beforeAll(async () => {
  // The webhook receiver listens on loopback, which only an operator's explicit exemption allows.
  server = await startTestServer({ MASCOT_WEBHOOK_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' });
});
afterAll(() => server?.stop());

describe.each([
  { library: 'Apollo Client 4', connect: apolloClient },
  { library: 'urql', connect: urqlClient },
])('a partner integration on $library', ({ connect }) => {
  let tenant: TenantFixture;
  const apiKey = async (name: string, scopes: string[]) => {
    const { createApiKey } = await graphqlOk(server.graphqlUrl, CREATE_API_KEY, { input: { name, scopes } }, tenant.accessToken);
    return { id: createApiKey.apiKey.id as string, client: connect(server.graphqlUrl, createApiKey.secret), secret: createApiKey.secret as string };
  };

  // A tenant of its own for each client: the free plan holds 3 bots, and counts are per tenant.
  beforeAll(async () => {
    tenant = await publishedBot(server.graphqlUrl);
  });

  it('lists conversations over GET, filters them, pages backward with totalCount and reads one’s messages', async () => {
    const question = 'How much is the Pro plan?';
    const withLead = await visitorActivity(server, tenant.embedId, { visitorId: `v-${randomUUID()}`, question, email: 'ada@example.com' });
    for (let i = 0; i < 4; i++) await startVisitorSession(server.graphqlUrl, tenant.embedId);
    const { client } = await apiKey('History reader', ['READ', 'LEADS_READ']);

    const all = (await client.run(CONVERSATIONS, { first: 10 })).conversations;
    expect(all.totalCount).toBe(5);
    const newestFirst = all.edges.map((e: Data) => e.node.id);
    // Backward from the end, two at a time: the same conversations, each page in list order.
    const pages: string[][] = [];
    let before: string | undefined;
    for (;;) {
      const page = (await client.run(CONVERSATIONS, { last: 2, ...(before ? { before } : {}) })).conversations;
      expect(page.totalCount).toBe(5);
      expect(page.pageInfo.hasNextPage).toBe(before !== undefined);
      pages.unshift(page.edges.map((e: Data) => e.node.id));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(pages.map((p) => p.length)).toEqual([1, 2, 2]);
    expect(pages.flat()).toEqual(newestFirst);

    const leads = (await client.run(CONVERSATIONS, { filter: { hasLead: true }, last: 5 })).conversations;
    expect(leads).toMatchObject({ totalCount: 1, pageInfo: { hasNextPage: false, hasPreviousPage: false } });
    expect(leads.edges.map((e: Data) => e.node)).toEqual([{ id: withLead.conversationId, hasLead: true, messageCount: 2 }]);
    const { conversation } = await client.run(MESSAGES, { id: withLead.conversationId });
    expect(conversation.messages.edges.map((e: Data) => e.node.role)).toEqual(['VISITOR', 'ASSISTANT']);
    expect(conversation.messages.edges[0].node.text).toBe(question);
    expect(conversation.messages.pageInfo.hasPreviousPage).toBe(false);

    // Bad paging input is a typed error, over GET as over POST, never a 500.
    expect((await client.attempt(CONVERSATIONS, { first: 1, last: 1 })).codes).toEqual(['BAD_USER_INPUT']);
    expect((await client.attempt(CONVERSATIONS, { after: 'not-a-cursor' })).codes).toEqual(['BAD_USER_INPUT']);
    expect((await client.attempt(CONVERSATIONS, { last: 1000 })).codes).toEqual(['BAD_USER_INPUT']);
    expect(new Set(client.methods)).toEqual(new Set(['GET']));
  });

  it('reads leads with LEADS_READ, and is refused them without it', async () => {
    const email = `lead-${randomUUID()}@example.com`;
    const activity = await visitorActivity(server, tenant.embedId, { visitorId: `v-${randomUUID()}`, question: 'Is there a free plan?', email });
    const crm = await apiKey('CRM sync', ['LEADS_READ']);
    const since = new Date(Date.now() - 60 * 60 * 1000).toISOString();
    const { leads } = await crm.client.run(LEADS, { botId: tenant.botId, filter: { from: since, wantsContact: true } });
    expect(leads.totalCount).toBeGreaterThanOrEqual(1);
    expect(leads.edges.map((e: Data) => e.node)).toContainEqual({ conversationId: activity.conversationId, email, wantsContact: true });
    expect((await crm.client.run(LEADS, { filter: { to: since } })).leads).toMatchObject({ totalCount: 0, edges: [] });
    expect((await crm.client.attempt(LEADS, { filter: { from: since, to: since } })).codes).toEqual(['BAD_USER_INPUT']);

    const reader = await apiKey('Reader', ['READ']);
    expect((await reader.client.attempt(LEADS, {})).codes).toEqual(['FORBIDDEN']);
  });

  it('takes over a handoff with CONVERSATIONS_HANDLE, replies, hands back', async () => {
    const helpdesk = await apiKey('Acme Helpdesk', ['CONVERSATIONS_HANDLE', 'READ']);
    // The integration follows the queue over graphql-ws like an agent client, so visitors asking for a person are queued for it.
    const socket = wsClient(server.websocketUrl, helpdesk.secret);
    const queue = recordSubscription<{ waitingConversations: { change: string; conversation: { id: string } } }>(socket, QUEUE, {});
    await vi.waitFor(async () => {
      const { handoffAvailability } = await graphqlOk(server.graphqlUrl, AVAILABILITY, {}, tenant.accessToken);
      expect(handoffAvailability.onlineAgentIds).toContain(helpdesk.id);
    }, { timeout: 10_000, interval: 20 });

    const session = await startVisitorSession(server.graphqlUrl, tenant.embedId);
    const visitor = await subscribeToEvents(server.websocketUrl, session, null);
    try {
      const { conversationId } = session;
      await graphqlOk(server.graphqlUrl, SEND_MESSAGE, { conversationId, text: 'I want to speak to a real person' }, session.visitorToken);
      await queue.waitFor((e) => e.waitingConversations.conversation.id === conversationId && e.waitingConversations.change === 'WAITING');

      const { takeOverConversation } = await helpdesk.client.run(TAKE_OVER, { conversationId });
      expect(takeOverConversation.conversation).toMatchObject({ id: conversationId, status: 'WITH_AGENT', agentName: 'Acme Helpdesk' });
      await visitor.recorder.waitFor(handoffStatus('WITH_AGENT'));
      expect((await helpdesk.client.run(AGENT_SAYS, { conversationId, text: 'Hello from the help desk.' })).sendAgentMessage.role).toBe('AGENT');
      await visitor.recorder.waitFor((e) => e.conversationEvents.__typename === 'MessagePosted');
      expect((await helpdesk.client.run(HAND_BACK, { conversationId })).handBackConversation).toEqual({ id: conversationId, status: 'BOT' });
      await visitor.recorder.waitFor(handoffStatus('BOT'));

      const { conversation } = await helpdesk.client.run(MESSAGES, { id: conversationId });
      expect(conversation.messages.edges.map((e: Data) => e.node)).toEqual([
        { role: 'VISITOR', text: 'I want to speak to a real person', authorName: null },
        { role: 'SYSTEM', text: 'The visitor asked for a person; waiting for an agent.', authorName: null },
        { role: 'SYSTEM', text: 'Acme Helpdesk joined the conversation.', authorName: null },
        { role: 'AGENT', text: 'Hello from the help desk.', authorName: 'Acme Helpdesk' },
        { role: 'SYSTEM', text: 'Acme Helpdesk left the conversation; the bot answers again.', authorName: null },
      ]);
    } finally {
      await visitor.recorder.close();
      await visitor.client.dispose();
      await queue.close();
      await socket.dispose();
    }
  });

  it('frees the plan by deleting a bot (archiving keeps its place), and a retried createBot with the same Idempotency-Key stores one bot', async () => {
    const { client } = await apiKey('Provisioning', ['READ', 'WRITE', 'PUBLISH']);
    const [second, third] = [(await client.run(CREATE_BOT, { input: { name: 'Second' } })).createBot, (await client.run(CREATE_BOT, { input: { name: 'Third' } })).createBot];
    expect((await client.run(USAGE)).usage.bots).toEqual({ used: 3, limit: 3 });
    expect((await client.attempt(CREATE_BOT, { input: { name: 'Fourth' } })).codes).toEqual(['QUOTA_EXCEEDED']);

    expect((await client.run(ARCHIVE_BOT, { id: second.id })).archiveBot.status).toBe('ARCHIVED');
    expect((await client.run(USAGE)).usage.bots.used).toBe(3);
    expect((await client.run(BOTS, { status: 'ARCHIVED' })).bots).toEqual({ totalCount: 1, edges: [{ node: { ...second, status: 'ARCHIVED' } }] });

    expect((await client.run(DELETE_BOT, { id: third.id })).deleteBot.status).toBe('DELETED');
    expect((await client.run(USAGE)).usage.bots.used).toBe(2);
    expect((await client.run(BOTS, { status: 'DELETED' })).bots).toEqual({ totalCount: 1, edges: [{ node: { ...third, status: 'DELETED' } }] });

    // A client retrying after a lost response: the same key replays the first answer, and one bot is stored.
    const key = randomUUID();
    const first = await client.run(CREATE_BOT, { input: { name: 'Retried' } }, key);
    const retried = await client.run(CREATE_BOT, { input: { name: 'Retried' } }, key);
    expect(retried).toEqual(first);
    expect((await client.run(USAGE)).usage.bots.used).toBe(3);
    const listed = (await client.run(BOTS, { last: 10 })).bots;
    expect(listed.totalCount).toBe(3);
    expect(listed.edges.filter((e: Data) => e.node.name === 'Retried')).toHaveLength(1);
    expect(client.methods.filter((m) => m === 'POST')).toHaveLength(7); // the seven mutations; every query went over GET
  });

  describe('webhooks', () => {
    let receiver: WebhookReceiver;
    beforeAll(async () => {
      receiver = await startWebhookReceiver();
    });
    afterAll(() => receiver?.close());

    it('sends a test event that arrives signed (Standard Webhooks), and lists it among the delivered', async () => {
      const { client } = await apiKey('Webhooks', ['WRITE']);
      const { createWebhookEndpoint } = await client.run(CREATE_ENDPOINT, { input: { url: receiver.url, eventTypes: ['BOT_PUBLISHED'] } });
      const endpointId = createWebhookEndpoint.endpoint.id;
      const { sendTestWebhookEvent: sent } = await client.run(SEND_TEST_EVENT, { endpointId });
      expect(sent.eventType).toBe('WEBHOOK_TEST');

      const [delivered] = await receiver.waitFor(1);
      const event = new Webhook(createWebhookEndpoint.secret).verify(delivered!.body, delivered!.headers as Record<string, string>) as { type: string };
      expect(event.type).toBe('webhook.test');
      await vi.waitFor(async () => {
        const { webhookDeliveries } = await client.run(DELIVERIES, { endpointId, status: 'DELIVERED' });
        expect(webhookDeliveries).toEqual({ totalCount: 1, edges: [{ node: { id: sent.id, eventType: 'WEBHOOK_TEST', status: 'DELIVERED' } }] });
      }, { timeout: 10_000, interval: 50 });
      expect((await client.run(DELIVERIES, { endpointId, status: 'FAILED' })).webhookDeliveries.totalCount).toBe(0);
      expect((await client.attempt(DELIVERIES, { endpointId: 'not-an-id' })).codes).toEqual(['BAD_USER_INPUT']);
    });
  });
});

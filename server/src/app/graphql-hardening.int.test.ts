import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  getIntrospectionQuery,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  Lexer,
  Source,
  TokenKind,
} from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EXAMPLE_OPERATIONS } from '../../explorer/src/example-operations.ts';
import type { MikroORM } from '../core/db/index.ts';
import { OPERATION_LIMITS } from '../core/graphql/index.ts';
import type { Authenticator } from '../modules/identity/index.ts';
import { publishedBot, signUpAccount, type Account } from '../test/fixtures.ts';
import { graphqlOk, graphqlRequest, type GraphQLResponse } from '../test/graphql-test-client.ts';
import * as operations from '../test/operations.ts';
import { sharedTestServer } from '../test/shared-test-server.ts';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../test/test-server.ts';
import { createMetrics } from '../core/metrics/index.ts';
import { createClientAddress } from '../core/rate-limit/index.ts';
import { mountGraphQL } from './graphql-transport.ts';

const { ACCEPT_INVITATION, CONVERSATION_EVENTS, CREATE_API_KEY, INVITE_MEMBER, ME, START_CONVERSATION } = operations;

/** A development server (the test default: the worker's shared one) and a production one of this file's own. */
let dev: TestServer;
let prod: TestServer;
/** An owner on the development server, for operations that must run rather than only validate. */
let devOwner: Account;
beforeAll(async () => {
  [dev, prod] = await Promise.all([
    sharedTestServer(),
    startTestServer({ NODE_ENV: 'production', MASCOT_JWT_SECRET: TEST_JWT_SECRET, MASCOT_ALLOWED_ORIGINS: 'https://partner.example' }),
  ]);
  devOwner = await signUpAccount(dev.graphqlUrl);
});
afterAll(async () => {
  await prod?.stop();
});

type ErrorList = GraphQLResponse['errors'];
const codes = (errors: ErrorList) => (errors ?? []).map((e) => e.extensions?.code);
const messages = (errors: ErrorList) => (errors ?? []).map((e) => e.message);

/** Field names that do not exist: the schema is at most 4 fields deep, so a 7-deep document needs them. */
const nested = (depth: number) => {
  let selection = 'id';
  for (let level = depth - 3; level >= 1; level--) selection = `x${level} { ${selection} }`;
  return `me { user { ${selection} } }`;
};
const DEPTH_7 = `query Deep { ${nested(7)} }`;
const DEPTH_6 = `query Deep { ${nested(6)} }`;
// graphql-armor ≤ 2.4.1 skipped any node named __schema, fragments included (GHSA-r3vv-2pvh-8q7r-like bypass).
const DEPTH_7_IN_SCHEMA_FRAGMENT = `query Hidden { ...__schema } fragment __schema on Query { ${nested(7)} }`;
const aliases = (count: number) => `query Aliases { ${Array.from({ length: count }, (_, i) => `a${i}: bots { edges { node { id } } }`).join(' ')} }`;
/** One 100-item page of members, every field: the largest page the cost limit must let through. */
const ONE_FULL_PAGE = `query Page { members(first: 100) { edges { cursor node { userId email role createdAt } } pageInfo { hasNextPage endCursor } } }`;
const TWO_FULL_PAGES = `query Pages {
  members(first: 100) { edges { cursor node { userId email role createdAt } } pageInfo { hasNextPage endCursor } }
  apiKeys(first: 100) { edges { cursor node { id name prefix scopes lastUsedAt revokedAt createdAt } } pageInfo { hasNextPage endCursor } }
}`;
const tokenCount = (document: string) => {
  const lexer = new Lexer(new Source(document));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
};
/** A createBot mutation of exactly `tokens` lexical tokens: 20 of them, plus one per allowed origin. */
const ofTokens = (tokens: number) => {
  const origins = Array.from({ length: tokens - 20 }, (_, i) => `"https://o${i}.example"`).join(' ');
  return `mutation { createBot(input: {name: "x", allowedOrigins: [${origins}]}) { id } }`;
};
const TOO_MANY_TOKENS = ofTokens(OPERATION_LIMITS.maxTokens + 1);
/** GraphiQL's introspection query with every option it may ask for. */
const INTROSPECTION = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});

/** A graphql-ws client whose socket sends `origin` (as browsers do) and reports how it closed. */
function socketClient(url: string, options: { token?: string; origin?: string; host?: string } = {}) {
  const closes: { code: number; reason: string }[] = [];
  const headers = options.host ? { host: options.host } : undefined;
  class BrowserLikeSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { ...(options.origin ? { origin: options.origin } : {}), ...(headers ? { headers } : {}) });
    }
  }
  const client = createClient({
    url,
    webSocketImpl: BrowserLikeSocket,
    connectionParams: options.token ? { authorization: `Bearer ${options.token}` } : {},
    retryAttempts: 0,
    lazy: true,
    // Keep the socket between sequential operations, so a refused operation can be seen to leave it open.
    lazyCloseTimeout: 10_000,
    on: { closed: (event) => void closes.push(event as { code: number; reason: string }) },
  });
  return { client, closes };
}

/** Runs one operation over graphql-ws; resolves with the first result, or the errors it was refused with. */
function overSocket(client: Client, query: string, variables: Record<string, unknown> = {}): Promise<{ data?: any; errors?: ErrorList }> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: { data?: any; errors?: ErrorList }) => {
      if (settled) return;
      settled = true;
      unsubscribe();
      resolve(result);
    };
    const unsubscribe = client.subscribe(
      { query, variables },
      {
        next: (result) => settle(result as { data?: any; errors?: ErrorList }),
        error: (error) => settle({ errors: Array.isArray(error) ? (error as ErrorList) : [{ message: String((error as { reason?: string }).reason ?? error) }] }),
        complete: () => settle({}),
      },
    );
  });
}

/** A visitor of a fresh published bot on `server`: token and conversation id. */
async function visitorOf(server: TestServer) {
  const bot = await publishedBot(server.graphqlUrl);
  const { startConversation } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
  return { ...bot, visitorToken: startConversation.visitorToken as string, conversationId: startConversation.conversationId as string };
}

/** What a transport answered: HTTP has a status, graphql-ws none (its refusals are error messages). */
type Answer = { status?: number; data?: any; errors?: ErrorList };

/**
 * The two transports, each able to run any operation as a given caller. The cases below are written once
 * and run over both: the operation pipeline (core/graphql/operation-pipeline.ts) must make them behave alike.
 */
const TRANSPORTS = [
  {
    name: 'HTTP',
    /** The status of a refused operation. */
    refusedStatus: 400 as number | undefined,
    run: (server: TestServer, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Answer> =>
      graphqlRequest(server.graphqlUrl, query, variables, token),
  },
  {
    name: 'graphql-ws',
    refusedStatus: undefined,
    run: async (server: TestServer, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Answer> => {
      const { client } = socketClient(server.websocketUrl, token ? { token } : {});
      try {
        return await overSocket(client, query, variables);
      } finally {
        await client.dispose();
      }
    },
  },
];

describe.each(TRANSPORTS)('operation limits over $name', ({ run, refusedStatus }) => {
  it('refuses a query 7 fields deep as GRAPHQL_VALIDATION_FAILED, naming the depth limit', async () => {
    const result = await run(dev, DEPTH_7);
    expect(result.status).toBe(refusedStatus);
    expect(result.data).toBeUndefined();
    expect(codes(result.errors)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(messages(result.errors)).toContain('Query depth limit of 6 exceeded, found 7.');
  });

  it('refuses the same depth hidden in a fragment named __schema', async () => {
    const result = await run(dev, DEPTH_7_IN_SCHEMA_FRAGMENT);
    expect(result.status).toBe(refusedStatus);
    expect(messages(result.errors)).toContain('Query depth limit of 6 exceeded, found 7.');
  });

  it('does not count depth 6 against the limit (only the made-up fields are refused)', async () => {
    const result = await run(dev, DEPTH_6);
    expect(messages(result.errors).some((m) => m.includes('depth limit'))).toBe(false);
    expect(messages(result.errors).every((m) => m.startsWith('Cannot query field "x'))).toBe(true);
  });

  it('refuses 16 aliases and runs 15', async () => {
    const refused = await run(dev, aliases(16), {}, devOwner.accessToken);
    expect(refused.status).toBe(refusedStatus);
    expect(codes(refused.errors)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(messages(refused.errors)).toEqual(['Aliases limit of 15 exceeded, found 16.']);
    const accepted = await run(dev, aliases(15), {}, devOwner.accessToken);
    expect(accepted.errors).toBeUndefined();
    expect(Object.keys(accepted.data!)).toHaveLength(15);
  });

  it('refuses a document of more than 1000 tokens before building it, as GRAPHQL_PARSE_FAILED', async () => {
    const result = await run(dev, TOO_MANY_TOKENS);
    expect(result.status).toBe(refusedStatus);
    expect(codes(result.errors)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(messages(result.errors)[0]).toMatch(/contains more tha[nt] 1000 tokens/);
    expect(tokenCount(TOO_MANY_TOKENS)).toBe(1001);
    const atTheLimit = ofTokens(OPERATION_LIMITS.maxTokens);
    expect(tokenCount(atTheLimit)).toBe(1000);
    // Parsed, validated and run: refused only because nobody signed in.
    expect(codes((await run(dev, atTheLimit)).errors)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses two full 100-item pages by cost and serves one', async () => {
    const refused = await run(dev, TWO_FULL_PAGES, {}, devOwner.accessToken);
    expect(refused.status).toBe(refusedStatus);
    expect(codes(refused.errors)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(messages(refused.errors)[0]).toMatch(/^Query Cost limit of 5000 exceeded, found \d+/);
    const accepted = await run(dev, ONE_FULL_PAGE, {}, devOwner.accessToken);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!['members'].edges).toHaveLength(1);
  });
});

describe('operation limits, what only one transport has', () => {
  it('HTTP: refuses a JSON array of operations (no batching)', async () => {
    const response = await fetch(dev.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/batch/i);
  });

  it('graphql-ws: a refused operation leaves the socket open for the next', async () => {
    const { client, closes } = socketClient(dev.websocketUrl, { token: devOwner.accessToken });
    try {
      expect(codes((await overSocket(client, DEPTH_7)).errors)).toContain('GRAPHQL_VALIDATION_FAILED');
      expect(codes((await overSocket(client, TOO_MANY_TOKENS)).errors)).toEqual(['GRAPHQL_PARSE_FAILED']);
      expect((await overSocket(client, aliases(15))).data).toBeDefined();
      expect(closes).toEqual([]);
    } finally {
      await client.dispose();
    }
  });

  it('graphql-ws: refuses a subscription with 16 aliases before subscribing, and subscribes with 15', async () => {
    const visitor = await visitorOf(dev);
    const subscription = (count: number) => `subscription Aliased($conversationId: ID!) {
      conversationEvents(conversationId: $conversationId) {
        ... on ConversationSubscribed { ${Array.from({ length: count }, (_, i) => `s${i}: seq`).join(' ')} }
      }
    }`;
    const { client } = socketClient(dev.websocketUrl, { token: visitor.visitorToken });
    try {
      const refused = await overSocket(client, subscription(16), { conversationId: visitor.conversationId });
      expect(refused.data).toBeUndefined();
      expect(messages(refused.errors)).toEqual(['Aliases limit of 15 exceeded, found 16.']);
      const accepted = await overSocket(client, subscription(15), { conversationId: visitor.conversationId });
      expect(accepted.errors).toBeUndefined();
      expect(accepted.data.conversationEvents.s14).toBeTypeOf('number');
    } finally {
      await client.dispose();
    }
  });

  it('graphql-ws: refuses a 7-deep subscription before subscribing', async () => {
    const visitor = await visitorOf(dev);
    const deep = `subscription Deep($conversationId: ID!) {
      conversationEvents(conversationId: $conversationId) { ... on ReplyCompleted { message { sources { a { b { c { d } } } } } } }
    }`;
    const { client } = socketClient(dev.websocketUrl, { token: visitor.visitorToken });
    try {
      const refused = await overSocket(client, deep, { conversationId: visitor.conversationId });
      expect(refused.data).toBeUndefined();
      expect(messages(refused.errors)).toContain('Query depth limit of 6 exceeded, found 7.');
    } finally {
      await client.dispose();
    }
  });
});

describe.each(TRANSPORTS)('the saved operations fit the limits over $name', ({ run }) => {
  const documents = [
    ...Object.entries(operations).map(([name, query]) => ({ name, query })),
    ...EXAMPLE_OPERATIONS.map((example) => ({ name: `explorer: ${example.title}`, query: example.query })),
  ];

  it.each(documents)('passes validation for $name', async ({ query }) => {
    const answer = await run(dev, query);
    expect(codes(answer.errors)).not.toContain('GRAPHQL_VALIDATION_FAILED');
    expect(codes(answer.errors)).not.toContain('GRAPHQL_PARSE_FAILED');
  });

  it("passes GraphiQL's full introspection query in development, to anyone", async () => {
    const answer = await run(dev, INTROSPECTION);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!['__schema'].queryType.name).toBe('Query');
  });
});

describe.each(TRANSPORTS)('suggestions over $name', ({ run }) => {
  const TYPO = 'query Typo { bots { edges { node { nmae } } } }';
  const BAD_ENUM = 'mutation BadTone($input: CreateBotInput!) { createBot(input: $input) { id } }';
  const badEnumVariables = { input: { name: 'Pip', tone: 'FRIENDLI' } };

  it('names the field and the enum value meant in development', async () => {
    expect(messages((await run(dev, TYPO)).errors)[0]).toContain('Did you mean "name"?');
    const badEnum = await run(dev, BAD_ENUM, badEnumVariables);
    expect(messages(badEnum.errors)[0]).toContain('Did you mean the enum value "FRIENDLY"?');
  });

  it('keeps them out of every message in production', async () => {
    const typo = await run(prod, TYPO);
    expect(messages(typo.errors)).toEqual(['Cannot query field "nmae" on type "Bot".']);
    expect(codes(typo.errors)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const badEnum = await run(prod, BAD_ENUM, badEnumVariables);
    expect(codes(badEnum.errors)).toEqual(['BAD_USER_INPUT']);
    expect(messages(badEnum.errors)[0]).toContain('Value "FRIENDLI" does not exist in "BotTone" enum.');
    expect(JSON.stringify(badEnum.errors)).not.toContain('Did you mean');
    const inlineEnum = await run(prod, 'mutation { createBot(input: {name: "Pip", tone: FRIENDLI}) { id } }');
    expect(codes(inlineEnum.errors)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(JSON.stringify(inlineEnum.errors)).not.toContain('Did you mean');
  });
});

describe.each(TRANSPORTS)('introspection in production over $name', ({ run, refusedStatus }) => {
  let owner: Account;
  beforeAll(async () => {
    owner = await signUpAccount(prod.graphqlUrl, 'Explorer Co');
  });

  const introspect = async (token?: string) => run(prod, INTROSPECTION, {}, token);
  const expectRefused = (result: Answer) => {
    expect(result.status).toBe(refusedStatus);
    expect(result.data).toBeUndefined();
    expect(codes(result.errors)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(messages(result.errors)[0]).toMatch(/introspection has been disabled/);
  };

  it('refuses anonymous callers, and __type as much as __schema', async () => {
    expectRefused(await introspect());
    expectRefused(await run(prod, '{ __type(name: "Bot") { name } }'));
  });

  it('still answers __typename to anyone', async () => {
    const answer = await run(prod, '{ __typename }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ __typename: 'Query' });
  });

  it('refuses visitors', async () => {
    const visitor = await visitorOf(prod);
    expectRefused(await introspect(visitor.visitorToken));
  });

  it('refuses a member whose role is viewer', async () => {
    const viewer = await signUpAccount(prod.graphqlUrl, 'Viewer Co');
    const { inviteMember } = await graphqlOk(prod.graphqlUrl, INVITE_MEMBER, { input: { email: viewer.email, role: 'VIEWER' } }, owner.accessToken);
    const { acceptInvitation } = await graphqlOk(prod.graphqlUrl, ACCEPT_INVITATION, { token: inviteMember.token }, viewer.accessToken);
    const { me } = await graphqlOk(prod.graphqlUrl, ME, {}, acceptInvitation.accessToken);
    expect(me.role).toBe('VIEWER');
    expectRefused(await introspect(acceptInvitation.accessToken));
  });

  it('answers an owner, and refuses the same document to an anonymous caller right after', async () => {
    const allowed = await introspect(owner.accessToken);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data!['__schema'].queryType.name).toBe('Query');
    // Apollo caches validated documents by hash: the policy must not be a cached validation result.
    expectRefused(await introspect());
  });

  it('answers an API key with the read scope and refuses one without it', async () => {
    const { createApiKey: reader } = await graphqlOk(prod.graphqlUrl, CREATE_API_KEY, { input: { name: 'reader', scopes: ['READ'] } }, owner.accessToken);
    const { createApiKey: writer } = await graphqlOk(prod.graphqlUrl, CREATE_API_KEY, { input: { name: 'writer', scopes: ['WRITE'] } }, owner.accessToken);
    const allowed = await introspect(reader.secret);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data!['__schema']).toBeDefined();
    expectRefused(await introspect(writer.secret));
  });
});

describe('request ids', () => {
  const post = (url: string, query: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });

  it('gives every GraphQL response an x-request-id, successful or not', async () => {
    const responses = [
      await post(dev.graphqlUrl, '{ __typename }'),
      await post(dev.graphqlUrl, '{ nope }'),
      await post(dev.graphqlUrl, '{ __typename }', { authorization: 'Bearer garbage' }),
      await fetch(dev.graphqlUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 400, 401, 400]);
    const ids = responses.map((r) => r.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('echoes a well-formed incoming x-request-id and replaces a malformed one', async () => {
    const incoming = `lb-${randomUUID()}`;
    expect((await post(dev.graphqlUrl, '{ __typename }', { 'x-request-id': incoming })).headers.get('x-request-id')).toBe(incoming);
    for (const malformed of ['has spaces in it', 'x'.repeat(200), '"quoted"']) {
      const answered = (await post(dev.graphqlUrl, '{ __typename }', { 'x-request-id': malformed })).headers.get('x-request-id');
      expect(answered).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('unexpected errors', () => {
  // No contract operation fails unexpectedly on purpose, so the real transport is mounted on a
  // schema whose resolvers throw what a database driver would.
  const LEAK = 'relation "secret_table" does not exist';
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: { boom: { type: GraphQLString, resolve: () => { throw new Error(LEAK); } } },
    }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        boom: {
          type: GraphQLString,
          subscribe: async function* () {
            yield { boom: 'first' };
            throw new Error(LEAK);
          },
        },
      },
    }),
  });
  const logged: Record<string, any>[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  const authenticate: Authenticator = async (_em, header) => {
    if (header === 'Bearer database-down') throw new Error(LEAK);
    return { kind: 'anonymous' };
  };
  let http: Server;
  let stop: () => Promise<void>;
  let url: string;
  beforeAll(async () => {
    const app = express();
    http = createServer(app);
    const orm = { em: { fork: () => ({}) } } as unknown as MikroORM;
    const graphql = await mountGraphQL({
      app, httpServer: http, schema, orm, authenticate, logger,
      config: { env: 'production', allowedOrigins: [] },
      publicUrl: () => url,
      rateLimits: { consumeRequest: async () => ({ limit: 'ip', remaining: 1, resetAfterS: 60 }), requestStatus: () => ({ limit: 'ip', remaining: 1, resetAfterS: 60 }) },
      metrics: createMetrics(),
      clientAddress: createClientAddress(false),
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    stop = async () => {
      await graphql.stop();
      await new Promise((resolve) => http.close(resolve));
    };
  });
  afterAll(() => stop?.());

  const loggedWith = (requestId: unknown) => logged.filter((line) => line['requestId'] === requestId);

  it('masks a resolver error as INTERNAL_SERVER_ERROR with the request id, and logs the original under it', async () => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ boom }' }),
    });
    const requestId = response.headers.get('x-request-id');
    const body = (await response.json()) as { data: unknown; errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body).toEqual({
      data: { boom: null },
      errors: [{ message: 'Internal server error.', path: ['boom'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }],
    });
    expect(JSON.stringify(body)).not.toContain('secret_table');
    const [line] = loggedWith(requestId);
    expect(line?.['msg']).toBe('unexpected error');
    expect(line?.['err'].message).toBe(LEAK);
    expect(line?.['err'].stack).toContain('graphql-hardening.int.test.ts');
  });

  it('masks a failure while authenticating the request (500) with the request id', async () => {
    const requestId = `req-${randomUUID()}`;
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer database-down', 'x-request-id': requestId },
      body: JSON.stringify({ query: '{ boom }' }),
    });
    expect(response.status).toBe(500);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    expect(await response.json()).toEqual({
      errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }],
    });
    expect(loggedWith(requestId)[0]?.['err'].message).toContain(LEAK);
  });

  it('masks an error ending a subscription over graphql-ws with the operation request id', async () => {
    const { client } = socketClient(`${url.replace(/^http/, 'ws')}/graphql`);
    try {
      const events: unknown[] = [];
      const errors = await new Promise<ErrorList>((resolve) => {
        client.subscribe({ query: 'subscription { boom }' }, {
          next: (event) => void events.push(event),
          error: (error) => resolve(error as ErrorList),
          complete: () => resolve([]),
        });
      });
      expect(events).toEqual([{ data: { boom: 'first' } }]);
      expect(errors).toHaveLength(1);
      const requestId = errors![0]!.extensions?.['requestId'];
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(errors).toEqual([{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }]);
      expect(loggedWith(requestId)[0]?.['err'].message).toBe(LEAK);
    } finally {
      await client.dispose();
    }
  });

  it('masks a resolver error over graphql-ws the same way', async () => {
    const { client } = socketClient(`${url.replace(/^http/, 'ws')}/graphql`);
    try {
      const result = await overSocket(client, '{ boom }');
      const requestId = result.errors?.[0]?.extensions?.['requestId'];
      expect(result).toEqual({
        data: { boom: null },
        errors: [{ message: 'Internal server error.', path: ['boom'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }],
      });
      expect(loggedWith(requestId)[0]?.['err'].message).toBe(LEAK);
    } finally {
      await client.dispose();
    }
  });
});

describe('graphql-ws origins', () => {
  /** Connects, runs `{ __typename }` and reports the answer or the close code. */
  async function tryFrom(server: TestServer, options: { origin?: string; host?: string; token?: string }) {
    const { client, closes } = socketClient(server.websocketUrl, options);
    try {
      const result = await overSocket(client, '{ __typename }');
      return result.data ? 'answered' : closes[0]?.code;
    } finally {
      await client.dispose();
    }
  }

  it('closes a socket opened by a page from a foreign origin with 4403, before authenticating', async () => {
    expect(await tryFrom(dev, { origin: 'https://evil.example' })).toBe(4403);
    expect(await tryFrom(dev, { origin: 'https://evil.example', token: devOwner.accessToken })).toBe(4403);
    expect(await tryFrom(dev, { origin: 'null' })).toBe(4403);
  });

  it("accepts the server's own origin and sockets without an Origin header", async () => {
    expect(await tryFrom(dev, { origin: dev.url })).toBe('answered');
    expect(await tryFrom(dev, {})).toBe('answered');
  });

  it('accepts origins listed in MASCOT_ALLOWED_ORIGINS', async () => {
    expect(await tryFrom(prod, { origin: 'https://partner.example' })).toBe('answered');
    expect(await tryFrom(prod, { origin: 'https://other.example' })).toBe(4403);
  });

  it('treats another name of this server as same-origin in development only', async () => {
    const port = new URL(dev.url).port;
    expect(await tryFrom(dev, { origin: `http://localhost:${port}`, host: `localhost:${port}` })).toBe('answered');
    const prodPort = new URL(prod.url).port;
    expect(await tryFrom(prod, { origin: `http://localhost:${prodPort}`, host: `localhost:${prodPort}` })).toBe(4403);
    expect(await tryFrom(prod, { origin: prod.url })).toBe('answered');
  });

  it('refuses an invalid token with 4403 as before', async () => {
    expect(await tryFrom(dev, { token: 'garbage' })).toBe(4403);
  });

  it('still streams a conversation to its visitor from our own origin', async () => {
    const visitor = await visitorOf(dev);
    const { client } = socketClient(dev.websocketUrl, { token: visitor.visitorToken, origin: dev.url });
    try {
      const first = await overSocket(client, CONVERSATION_EVENTS, { conversationId: visitor.conversationId });
      expect(first.data.conversationEvents.__typename).toBe('ConversationSubscribed');
    } finally {
      await client.dispose();
    }
  });
});

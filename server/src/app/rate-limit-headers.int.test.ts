import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpAccount, type Account } from '../test/fixtures.ts';
import { graphqlOk } from '../test/graphql-test-client.ts';
import { CREATE_API_KEY, CREATE_BOT } from '../test/operations.ts';
import { ownerQuery } from '../test/owner-database.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';

// RateLimit-Policy / RateLimit (IETF draft httpapi-ratelimit-headers) on every GraphQL HTTP response, and
// API keys counted by key instead of by address. The test plays a trusted proxy (MASCOT_TRUST_PROXY), so each
// test is a client address of its own; setup runs from the proxy's own address.
const generous = { points: 1_000_000, durationS: 60 };
let server: TestServer;
let owner: Account;
let apiKey: string;

beforeAll(async () => {
  server = await startTestServer({ MASCOT_TRUST_PROXY: 'loopback' }, {
    rateLimits: {
      perIp: { points: 5, durationS: 60 },
      perApiKey: { points: 12, durationS: 60 },
      perTenant: { points: 1000, durationS: 60 },
      loginPerIp: generous,
    },
  });
  owner = await signUpAccount(server.graphqlUrl);
  ({ createApiKey: { secret: apiKey } } = await graphqlOk(server.graphqlUrl, CREATE_API_KEY, { input: { name: 'Partner', scopes: ['READ'] } }, owner.accessToken));
});
afterAll(() => server?.stop());

async function send(from: string, options: { token?: string; body?: string; method?: 'GET'; idempotencyKey?: string } = {}) {
  const response = await fetch(options.method === 'GET' ? `${server.graphqlUrl}?query=%7B__typename%7D` : server.graphqlUrl, {
    method: options.method ?? 'POST',
    headers: {
      'x-forwarded-for': from,
      ...(options.method === 'GET' ? { 'apollo-require-preflight': 'true' } : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
    },
    ...(options.method === 'GET' ? {} : { body: options.body ?? JSON.stringify({ query: '{ __typename }' }) }),
  });
  const body = (await response.json()) as { errors?: { extensions: Record<string, unknown> }[] };
  return { status: response.status, policy: response.headers.get('ratelimit-policy'), left: response.headers.get('ratelimit'), retryAfter: response.headers.get('retry-after'), body };
}

/** `r` of the named budget in a RateLimit field. */
function remaining(field: string | null, budget: string): number {
  const match = new RegExp(`"${budget}";r=(\\d+);t=(\\d+)`).exec(field ?? '');
  if (!match) throw new Error(`no "${budget}" in RateLimit: ${field}`);
  expect(Number(match[2])).toBeGreaterThan(0);
  expect(Number(match[2])).toBeLessThanOrEqual(60);
  return Number(match[1]);
}

describe('RateLimit headers', () => {
  it("tell an anonymous caller its address's budget, counting down to the 429 that keeps Retry-After", async () => {
    const from = '198.51.100.20';
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      const admitted = await send(from);
      expect(admitted.status).toBe(200);
      expect(admitted.policy).toBe('"ip";q=5;w=60');
      seen.push(remaining(admitted.left, 'ip'));
    }
    expect(seen).toEqual([4, 3, 2, 1, 0]);

    const refused = await send(from);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(refused.policy).toBe('"ip";q=5;w=60');
    expect(remaining(refused.left, 'ip')).toBe(0);
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'ip' });
  });

  it('come with responses refused before any operation ran, and with GET', async () => {
    const from = '198.51.100.21';
    const refusals = [
      await send(from, { body: '{ not json' }), // the body parser
      await send(from, { body: JSON.stringify({ query: '{ __typename' }) }), // GraphQL syntax
      await send(from, { token: 'not-a-token' }), // authentication
    ];
    expect(refusals.map((r) => r.status)).toEqual([400, 400, 401]);
    for (const refused of refusals) {
      expect(refused.policy).toBe('"ip";q=5;w=60');
      expect(remaining(refused.left, 'ip')).toBe(5); // none of them spent anything
    }
    const viaGet = await send(from, { method: 'GET' });
    expect(viaGet.status).toBe(200);
    expect(remaining(viaGet.left, 'ip')).toBe(4);
  });

  it("tell a member its address's and its tenant's budgets", async () => {
    const member = await send('198.51.100.22', { token: owner.accessToken });
    expect(member.status).toBe(200);
    expect(member.policy).toBe('"ip";q=5;w=60, "tenant";q=1000;w=60');
    expect(remaining(member.left, 'ip')).toBe(4);
  });

  it("count an API key by its own budget, not its address's: a partner on one address reaches its key's limit", async () => {
    const from = '198.51.100.23';
    const seen: number[] = [];
    for (let i = 0; i < 12; i++) {
      const admitted = await send(from, { token: apiKey });
      expect(admitted.status).toBe(200);
      expect(admitted.policy).toBe('"apiKey";q=12;w=60, "tenant";q=1000;w=60');
      seen.push(remaining(admitted.left, 'apiKey'));
    }
    expect(seen).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);

    const refused = await send(from, { token: apiKey });
    expect(refused.status).toBe(429);
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'apiKey' });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    // A refused mutation keeps no Idempotency-Key: its retry after the wait executes.
    const key = crypto.randomUUID();
    const mutation = JSON.stringify({ query: CREATE_BOT, variables: { input: { name: 'Later' } } });
    expect((await send(from, { token: apiKey, body: mutation, idempotencyKey: key })).status).toBe(429);
    expect(await ownerQuery(server.databaseUrl, 'select key from idempotency_key where key = $1', [key])).toEqual([]);
    // The address's own budget is untouched by its key's traffic: a browser there is still admitted.
    const anonymous = await send(from);
    expect(anonymous.status).toBe(200);
    expect(remaining(anonymous.left, 'ip')).toBe(4);
  });
});

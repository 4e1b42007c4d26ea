import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpAccount, type Account } from '../test/fixtures.ts';
import { graphqlRequest, recordSubscription, wsClient } from '../test/graphql-test-client.ts';
import { LOG_IN } from '../test/operations.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';

/** Rate limits as clients meet them through the API (the store itself is tested in core/rate-limit). */
let server: TestServer;
let account: Account;
const generous = { points: 1_000_000, durationS: 60 };

beforeAll(async () => {
  server = await startTestServer({}, {
    rateLimits: {
      perIp: generous,
      perApiKey: generous,
      // Tight per tenant, so one tenant's members meet it quickly.
      perTenant: { points: 8, durationS: 60 },
      loginPerAccount: { points: 3, durationS: 900, blockDurationS: 900 },
      loginPerIp: generous,
    },
  });
  account = await signUpAccount(server.graphqlUrl);
});
afterAll(() => server?.stop());

const ME = `query { me { user { email } } }`;

describe('rate limits through the API', () => {
  it('counts aliased fields individually and answers 429 with Retry-After when the tenant budget is spent', async () => {
    const aliased = `query { ${Array.from({ length: 6 }, (_, i) => `a${i}: me { role }`).join(' ')} }`;
    expect((await graphqlRequest(server.graphqlUrl, aliased, {}, account.accessToken)).errors).toBeUndefined();
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${account.accessToken}` },
      body: JSON.stringify({ query: aliased }),
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'tenant' });
    expect(body.errors[0]!.extensions['retryAfter']).toBeGreaterThan(0);
  });

  it('does not charge another tenant for the first one\'s traffic', async () => {
    const other = await signUpAccount(server.graphqlUrl);
    expect((await graphqlRequest(server.graphqlUrl, ME, {}, other.accessToken)).errors).toBeUndefined();
  });

  it('refuses graphql-ws subscriptions of a tenant over its budget with RATE_LIMITED', async () => {
    const client = wsClient(server.websocketUrl, account.accessToken);
    const events = recordSubscription(client, `subscription { conversationEvents(conversationId: "${crypto.randomUUID()}") { __typename } }`, {});
    await expect(events.waitFor(() => true)).rejects.toSatisfy((errors: any) => errors[0].extensions.code === 'RATE_LIMITED');
    await client.dispose();
  });

  it('throttles sign-in per account: after 3 failures even the right password waits', async () => {
    const target = await signUpAccount(server.graphqlUrl);
    for (let i = 0; i < 3; i++) {
      const wrong = await graphqlRequest(server.graphqlUrl, LOG_IN, { input: { email: target.email, password: 'wrong password' } });
      expect(wrong.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    }
    const right = await graphqlRequest(server.graphqlUrl, LOG_IN, { input: { email: target.email, password: target.password } });
    expect(right.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'loginAccount' });
    expect(right.errors![0]!.extensions!['retryAfter']).toBeGreaterThan(800);
  });

  it('resets the account counter on a successful sign-in', async () => {
    const target = await signUpAccount(server.graphqlUrl);
    for (let round = 0; round < 3; round++) {
      await graphqlRequest(server.graphqlUrl, LOG_IN, { input: { email: target.email, password: 'wrong password' } });
      await graphqlRequest(server.graphqlUrl, LOG_IN, { input: { email: target.email, password: 'wrong password' } });
      const ok = await graphqlRequest(server.graphqlUrl, LOG_IN, { input: { email: target.email, password: target.password } });
      expect(ok.errors).toBeUndefined();
    }
  });
});

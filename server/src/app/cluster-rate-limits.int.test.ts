import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpAccount, type Account } from '../test/fixtures.ts';
import { graphqlRequest } from '../test/graphql-test-client.ts';
import { clusterServicesAvailable, startTestCluster, type TestCluster } from '../test/test-cluster.ts';
import type { TestServer } from '../test/test-server.ts';

// Two instances of one installation (one PostgreSQL database, one NATS): each answers rate limits from
// memory, and together they hold the budgets. Embedded mode cannot host two instances (see
// startTestCluster); core/rate-limit/rate-limits.int.test.ts shares counts over the in-process bus there.
const generous = { points: 1_000_000, durationS: 60 };
let cluster: TestCluster;
let a: TestServer;
let b: TestServer;
let account: Account;

beforeAll(async () => {
  if (!clusterServicesAvailable) return;
  cluster = await startTestCluster({}, {
    rateLimits: { perIp: generous, perApiKey: generous, perTenant: { points: 10, durationS: 60 }, loginPerIp: generous },
  });
  [a, b] = cluster.instances;
  account = await signUpAccount(a.graphqlUrl);
});
afterAll(() => cluster?.stop());

const TYPENAME = '{ __typename }';
const codeOf = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;

describe.skipIf(!clusterServicesAvailable)('rate limits across two instances', () => {
  it("hold a tenant's budget over both instances: what one admitted counts on the other", async () => {
    const request = { ip: '127.0.0.1', tenantId: account.tenantId };
    for (let i = 0; i < 7; i++) expect(codeOf(await graphqlRequest(a.graphqlUrl, TYPENAME, {}, account.accessToken))).toBeUndefined();
    // Within a sync interval B has heard of A's seven (waiting spends nothing), and admits the three left.
    await expect.poll(() => b.rateLimits.requestStatus(request).remaining).toBe(3);
    for (let i = 0; i < 3; i++) expect(codeOf(await graphqlRequest(b.graphqlUrl, TYPENAME, {}, account.accessToken))).toBeUndefined();
    expect(codeOf(await graphqlRequest(b.graphqlUrl, TYPENAME, {}, account.accessToken))).toBe('RATE_LIMITED');
    // And A, once it has heard of B's, refuses too.
    await expect.poll(() => a.rateLimits.requestStatus(request).remaining).toBe(0);
    const refused = await graphqlRequest(a.graphqlUrl, TYPENAME, {}, account.accessToken);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'tenant' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpAccount, type Account } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest, recordSubscription, wsClient } from '../../test/graphql-test-client.ts';
import {
  ACCEPT_INVITATION,
  AUDIT_LOG,
  BOTS,
  CREATE_API_KEY,
  CREATE_BOT,
  INVITE_MEMBER,
  LOG_OUT,
  ME,
  REMOVE_MEMBER,
  REVOKE_API_KEY,
  UPDATE_MEMBER_ROLE,
} from '../../test/operations.ts';
import { clusterServicesAvailable, startTestCluster, type TestCluster } from '../../test/test-cluster.ts';
import type { TestServer } from '../../test/test-server.ts';

// Two instances of one installation (one PostgreSQL database, one NATS). Each change is made on instance
// A while instance B has the credential cached; B must refuse it within a second (SECURITY.md, Identity).
// Embedded mode cannot host two instances (see startTestCluster); identity-cache.test.ts covers the
// cache and its invalidation over the in-process bus there.
let cluster: TestCluster;
let a: TestServer;
let b: TestServer;
let owner: Account;

beforeAll(async () => {
  if (!clusterServicesAvailable) return;
  cluster = await startTestCluster();
  [a, b] = cluster.instances;
  owner = await signUpAccount(a.graphqlUrl);
});
afterAll(() => cluster?.stop());

const codeOf = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;

/** Asks B with `token` until it answers `code`, and returns how long after `since` that was. */
async function refusedOnB(query: string, token: string, code: string, since: number): Promise<number> {
  await expect
    .poll(async () => codeOf(await graphqlRequest(b.graphqlUrl, query, {}, token)), { timeout: 1_000, interval: 20 })
    .toBe(code);
  return Date.now() - since;
}

/** A member of owner's tenant with `role`, and their access token for it. */
async function member(role: string): Promise<{ account: Account; token: string }> {
  const account = await signUpAccount(a.graphqlUrl);
  const { inviteMember } = await graphqlOk(a.graphqlUrl, INVITE_MEMBER, { input: { email: account.email, role } }, owner.accessToken);
  const { acceptInvitation } = await graphqlOk(a.graphqlUrl, ACCEPT_INVITATION, { token: inviteMember.token }, account.accessToken);
  return { account, token: acceptInvitation.accessToken };
}

describe.skipIf(!clusterServicesAvailable)('identity changes on another instance', () => {
  it('refuses a revoked API key on the other instance within a second', async () => {
    const { createApiKey } = await graphqlOk(a.graphqlUrl, CREATE_API_KEY, { input: { name: 'partner', scopes: ['READ'] } }, owner.accessToken);
    // B has resolved the key (and cached it) before the revocation.
    for (let i = 0; i < 2; i++) expect(codeOf(await graphqlRequest(b.graphqlUrl, BOTS, {}, createApiKey.secret))).toBeUndefined();
    await graphqlOk(a.graphqlUrl, REVOKE_API_KEY, { id: createApiKey.apiKey.id }, owner.accessToken);
    expect(await refusedOnB(BOTS, createApiKey.secret, 'UNAUTHENTICATED', Date.now())).toBeLessThan(1_000);
    // And on A, at once.
    expect(codeOf(await graphqlRequest(a.graphqlUrl, BOTS, {}, createApiKey.secret))).toBe('UNAUTHENTICATED');
  });

  it('refuses the access token of a signed-out session on the other instance within a second', async () => {
    const account = await signUpAccount(a.graphqlUrl);
    for (let i = 0; i < 2; i++) expect(codeOf(await graphqlRequest(b.graphqlUrl, ME, {}, account.accessToken))).toBeUndefined();
    await graphqlOk(a.graphqlUrl, LOG_OUT, {}, account.accessToken);
    expect(await refusedOnB(ME, account.accessToken, 'UNAUTHENTICATED', Date.now())).toBeLessThan(1_000);
  });

  it("applies a member's demotion on the other instance within a second", async () => {
    const { account, token } = await member('ADMIN');
    for (let i = 0; i < 2; i++) expect(codeOf(await graphqlRequest(b.graphqlUrl, AUDIT_LOG, {}, token))).toBeUndefined();
    await graphqlOk(a.graphqlUrl, UPDATE_MEMBER_ROLE, { userId: account.userId, role: 'VIEWER' }, owner.accessToken);
    expect(await refusedOnB(AUDIT_LOG, token, 'FORBIDDEN', Date.now())).toBeLessThan(1_000);
    // The same token still works for what a viewer may do.
    expect(codeOf(await graphqlRequest(b.graphqlUrl, BOTS, {}, token))).toBeUndefined();
  });

  it("ends a removed member's access on the other instance within a second", async () => {
    const { account, token } = await member('DESIGNER');
    for (let i = 0; i < 2; i++) expect(codeOf(await graphqlRequest(b.graphqlUrl, BOTS, {}, token))).toBeUndefined();
    await graphqlOk(a.graphqlUrl, REMOVE_MEMBER, { userId: account.userId }, owner.accessToken);
    expect(await refusedOnB(BOTS, token, 'UNAUTHENTICATED', Date.now())).toBeLessThan(1_000);
  });

  it("closes the other instance's sockets of a signed-out session within a second, ending their subscriptions", async () => {
    const account = await signUpAccount(a.graphqlUrl);
    const { createBot } = await graphqlOk(a.graphqlUrl, CREATE_BOT, { input: { name: 'Pip' } }, account.accessToken);
    let closedAt: number | undefined;
    let closeCode: number | undefined;
    const client = wsClient(b.websocketUrl, account.accessToken, (event) => {
      closedAt ??= Date.now();
      closeCode ??= event.code;
    });
    const live = recordSubscription(client, 'subscription($botId: ID!) { analyticsCounters(botId: $botId) { day } }', { botId: createBot.id });
    try {
      await live.waitFor(() => true); // the socket is authenticated and its subscription running
      const since = Date.now();
      await graphqlOk(a.graphqlUrl, LOG_OUT, {}, account.accessToken);
      await expect.poll(() => closeCode, { timeout: 1_000, interval: 10 }).toBe(4403);
      expect(closedAt! - since).toBeLessThan(1_000);
    } finally {
      await client.dispose();
    }
  });
});

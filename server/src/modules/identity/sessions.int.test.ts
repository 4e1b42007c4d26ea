import { beforeAll, describe, expect, it } from 'vitest';
import { signUpAccount } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest } from '../../test/graphql-test-client.ts';
import { LOG_IN, LOG_OUT, ME, REFRESH_SESSION } from '../../test/operations.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { sharedTestServer } from '../../test/shared-test-server.ts';
import type { TestServer } from '../../test/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await sharedTestServer();
});

const refresh = (refreshToken: string) => graphqlRequest(server.graphqlUrl, REFRESH_SESSION, { refreshToken });
const me = (token: string) => graphqlRequest(server.graphqlUrl, ME, {}, token);
const code = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;

describe('sessions', () => {
  it('rotates the refresh token on every use and the new pair works', async () => {
    const account = await signUpAccount(server.graphqlUrl);
    const first = await refresh(account.refreshToken);
    const pair = first.data!['refreshSession'];
    expect(pair.refreshToken).not.toBe(account.refreshToken);
    expect((await me(pair.accessToken)).data!['me'].user.email).toBe(account.email);
    const second = await refresh(pair.refreshToken);
    expect(second.data!['refreshSession'].refreshToken).not.toBe(pair.refreshToken);
  });

  it('lets two concurrent refreshes of the same token both succeed (grace window)', async () => {
    const account = await signUpAccount(server.graphqlUrl);
    const results = await Promise.all([refresh(account.refreshToken), refresh(account.refreshToken)]);
    for (const result of results) expect(result.errors).toBeUndefined();
    const tokens = results.map((r) => r.data!['refreshSession'].refreshToken);
    expect(new Set(tokens).size).toBe(2);
    for (const result of results) expect(code(await me(result.data!['refreshSession'].accessToken))).toBeUndefined();
  });

  it('signs the whole family out when a rotated token is replayed after the grace window', async () => {
    const account = await signUpAccount(server.graphqlUrl);
    const rotated = (await refresh(account.refreshToken)).data!['refreshSession'];
    // Age the first rotation past the grace window, as if the replay came much later.
    await ownerQuery(server.databaseUrl, `update refresh_token set revoked_at = now() - interval '1 minute' where revoked_reason = 'rotated'`);

    const replay = await refresh(account.refreshToken);
    expect(code(replay)).toBe('UNAUTHENTICATED');
    expect(replay.errors![0]!.message).toMatch(/already used/);
    // The legitimate holder's newer tokens died with the family.
    expect(code(await refresh(rotated.refreshToken))).toBe('UNAUTHENTICATED');
    expect(code(await me(rotated.accessToken))).toBe('UNAUTHENTICATED');

    const login = await graphqlOk(server.graphqlUrl, LOG_IN, { input: { email: account.email, password: account.password } });
    const audit = await ownerQuery<{ action: string }>(server.databaseUrl, `select action from audit_event where tenant_id = $1`, [login.logIn.tenant.id]);
    expect(audit.map((a) => a.action)).toContain('session.reuse_detected');
  });

  it('ends the session at once on logOut: access and refresh tokens stop working', async () => {
    const account = await signUpAccount(server.graphqlUrl);
    expect(code(await me(account.accessToken))).toBeUndefined();
    expect((await graphqlRequest(server.graphqlUrl, LOG_OUT, {}, account.accessToken)).data).toEqual({ logOut: true });
    expect(code(await me(account.accessToken))).toBe('UNAUTHENTICATED');
    expect(code(await refresh(account.refreshToken))).toBe('UNAUTHENTICATED');
  });

  it('keeps other sessions of the same user alive when one logs out', async () => {
    const account = await signUpAccount(server.graphqlUrl);
    const other = await graphqlOk(server.graphqlUrl, LOG_IN, { input: { email: account.email, password: account.password } });
    await graphqlOk(server.graphqlUrl, LOG_OUT, {}, account.accessToken);
    expect(code(await me(other.logIn.accessToken))).toBeUndefined();
  });

  it('refuses unknown and malformed refresh tokens', async () => {
    expect(code(await refresh('mrt_not-a-real-token'))).toBe('UNAUTHENTICATED');
    expect(code(await refresh(''))).toBe('UNAUTHENTICATED');
  });

  it('refuses a wrong password and records the failed sign-in', async () => {
    const account = await signUpAccount(server.graphqlUrl);
    const wrong = await graphqlRequest(server.graphqlUrl, LOG_IN, { input: { email: account.email, password: 'not the password' } });
    expect(code(wrong)).toBe('UNAUTHENTICATED');
    const unknown = await graphqlRequest(server.graphqlUrl, LOG_IN, { input: { email: 'nobody@example.com', password: 'whatever1' } });
    expect(unknown.errors![0]!.message).toBe(wrong.errors![0]!.message);
    const audit = await ownerQuery<{ action: string }>(server.databaseUrl, `select action from audit_event where tenant_id = $1 order by created_at`, [account.tenantId]);
    expect(audit.map((a) => a.action)).toEqual(['user.signed_up', 'user.sign_in_failed']);
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpAccount, type Account } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest } from '../../test/graphql-test-client.ts';
import { AUDIT_LOG, LOG_IN, ME, REFRESH_SESSION, SIGN_UP } from '../../test/operations.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

// Issue 15, finding 9: signUp must not tell whether an address is registered (SECURITY.md "Identity", the sign-up paragraph).

let server: TestServer;
let owner: Account;

beforeAll(async () => {
  server = await startTestServer();
  owner = await signUpAccount(server.graphqlUrl, 'Owner Inc');
});
afterAll(() => server?.stop());

const signUp = (email: string, password = 'another long one', tenantName = 'Second Inc') =>
  graphqlRequest<{ signUp: any }>(server.graphqlUrl, SIGN_UP, { input: { email, password, tenantName } });

const rowsOf = async (email: string) => ({
  users: Number((await ownerQuery(server.databaseUrl, 'select count(*) as n from app_user where email = $1', [email.toLowerCase()]))[0]!.n),
  tenants: Number((await ownerQuery(server.databaseUrl, 'select count(*) as n from tenant'))[0]!.n),
});

/** The answer with what differs by nature (fresh ids, random secrets) replaced by its shape. */
function shapeOf(payload: any) {
  const jwtHeader = JSON.parse(Buffer.from(payload.accessToken.split('.')[0], 'base64url').toString());
  const claims = JSON.parse(Buffer.from(payload.accessToken.split('.')[1], 'base64url').toString());
  return {
    jwtHeader,
    claimNames: Object.keys(claims).sort(),
    lifetime: claims.exp - claims.iat,
    accessTokenParts: payload.accessToken.split('.').map((part: string) => part.length > 0),
    refreshToken: payload.refreshToken.replace(/^(mrt_)[\w-]{43}$/, '$1<secret>'),
    user: { id: typeof payload.user.id, email: payload.user.email },
    tenant: { id: typeof payload.tenant.id, name: payload.tenant.name },
  };
}

describe('sign-up with an address that is already registered', () => {
  it('answers exactly like a first sign-up, in any letter case, and creates nothing', async () => {
    const fresh = `fresh-${randomUUID()}@example.com`;
    const before = await rowsOf(owner.email);
    const first = await signUp(fresh);
    const again = await signUp(owner.email.toUpperCase());
    expect(again.status).toBe(first.status);
    expect(again.errors).toBeUndefined();
    expect(shapeOf(again.data!.signUp)).toEqual({ ...shapeOf(first.data!.signUp), user: { id: 'string', email: owner.email } });
    expect(again.data!.signUp.user.id).not.toBe(owner.userId);
    // One tenant more: the fresh address's. The registered one got none.
    expect(await rowsOf(owner.email)).toEqual({ users: 1, tenants: before.tenants + 1 });
  });

  it('opens no session: its tokens fail as an ended session does, and the owner keeps their password', async () => {
    const { data } = await signUp(owner.email, 'attacker password');
    const me = await graphqlRequest(server.graphqlUrl, ME, {}, data!.signUp.accessToken);
    expect(me.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const refreshed = await graphqlRequest(server.graphqlUrl, REFRESH_SESSION, { refreshToken: data!.signUp.refreshToken });
    expect(refreshed.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const attacker = await graphqlRequest(server.graphqlUrl, LOG_IN, { input: { email: owner.email, password: 'attacker password' } });
    expect(attacker.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const { logIn } = await graphqlOk(server.graphqlUrl, LOG_IN, { input: { email: owner.email, password: owner.password } });
    expect(logIn.user.id).toBe(owner.userId);
  });

  it("tells the address's owner in their audit log", async () => {
    await signUp(owner.email);
    const { auditLog } = await graphqlOk(server.graphqlUrl, AUDIT_LOG, { first: 50 }, owner.accessToken);
    expect(auditLog.edges.map((edge: any) => edge.node)).toContainEqual(
      expect.objectContaining({ action: 'user.sign_up_with_existing_email', targetType: 'user', targetId: owner.userId }),
    );
  });

  it('takes about as long as a first sign-up (both hash the password and write)', async () => {
    const fresh: number[] = [];
    const taken: number[] = [];
    const timed = async (email: string) => {
      const started = performance.now();
      await signUp(email);
      return performance.now() - started;
    };
    await timed(owner.email); // warm-up
    for (let i = 0; i < 7; i += 1) {
      fresh.push(await timed(`timing-${randomUUID()}@example.com`));
      taken.push(await timed(owner.email));
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    // Generous bounds for a shared machine; the leak this guards against was ~1 ms against ~30 ms.
    expect(median(taken) / median(fresh)).toBeGreaterThan(0.5);
    expect(median(taken) / median(fresh)).toBeLessThan(2);
  });
});

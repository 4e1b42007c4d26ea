import { beforeAll, describe, expect, it } from 'vitest';
import { signUpAccount, type Account } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest } from '../../test/graphql-test-client.ts';
import {
  ACCEPT_INVITATION,
  AUDIT_LOG,
  CREATE_BOT,
  INVITE_MEMBER,
  ME,
  MEMBERS,
  REMOVE_MEMBER,
  SWITCH_TENANT,
  UPDATE_MEMBER_ROLE,
} from '../../test/operations.ts';
import { sharedTestServer } from '../../test/shared-test-server.ts';
import type { TestServer } from '../../test/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await sharedTestServer();
});

const code = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;

/** An owner's tenant that `member` has joined with `role`; returns the member's session there. */
async function join(owner: Account, member: Account, role: string) {
  const { inviteMember } = await graphqlOk(server.graphqlUrl, INVITE_MEMBER, { input: { email: member.email, role } }, owner.accessToken);
  expect(inviteMember.inviteUrl).toContain(inviteMember.token);
  const { acceptInvitation } = await graphqlOk(server.graphqlUrl, ACCEPT_INVITATION, { token: inviteMember.token }, member.accessToken);
  expect(acceptInvitation.tenant.id).toBe(owner.tenantId);
  return { token: acceptInvitation.accessToken as string, invitationToken: inviteMember.token as string };
}

describe('members and roles', () => {
  it('invites by single-use token, and the invitee belongs to both tenants and can switch', async () => {
    const owner = await signUpAccount(server.graphqlUrl, 'Owner Co');
    const member = await signUpAccount(server.graphqlUrl, 'Member Co');
    const { token, invitationToken } = await join(owner, member, 'DESIGNER');

    const { me } = await graphqlOk(server.graphqlUrl, ME, {}, token);
    expect(me.tenant.id).toBe(owner.tenantId);
    expect(me.role).toBe('DESIGNER');
    expect(me.memberships.map((m: any) => m.tenant.name).sort()).toEqual(['Member Co', 'Owner Co']);

    const again = await graphqlRequest(server.graphqlUrl, ACCEPT_INVITATION, { token: invitationToken }, member.accessToken);
    expect(code(again)).toBe('CONFLICT');

    const back = await graphqlOk(server.graphqlUrl, SWITCH_TENANT, { tenantId: member.tenantId }, token);
    expect(back.switchTenant.tenant.name).toBe('Member Co');
  });

  it('refuses an invitation presented by a different email address', async () => {
    const owner = await signUpAccount(server.graphqlUrl);
    const invited = await signUpAccount(server.graphqlUrl);
    const stranger = await signUpAccount(server.graphqlUrl);
    const { inviteMember } = await graphqlOk(server.graphqlUrl, INVITE_MEMBER, { input: { email: invited.email, role: 'VIEWER' } }, owner.accessToken);
    const result = await graphqlRequest(server.graphqlUrl, ACCEPT_INVITATION, { token: inviteMember.token }, stranger.accessToken);
    expect(code(result)).toBe('FORBIDDEN');
  });

  it('applies role permissions on the next request after a role change', async () => {
    const owner = await signUpAccount(server.graphqlUrl);
    const member = await signUpAccount(server.graphqlUrl);
    const { token } = await join(owner, member, 'VIEWER');
    expect(code(await graphqlRequest(server.graphqlUrl, CREATE_BOT, { input: { name: 'No' } }, token))).toBe('FORBIDDEN');
    await graphqlOk(server.graphqlUrl, UPDATE_MEMBER_ROLE, { userId: member.userId, role: 'DESIGNER' }, owner.accessToken);
    expect(code(await graphqlRequest(server.graphqlUrl, CREATE_BOT, { input: { name: 'Yes' } }, token))).toBeUndefined();
  });

  it('ends a removed member\'s access at once', async () => {
    const owner = await signUpAccount(server.graphqlUrl);
    const member = await signUpAccount(server.graphqlUrl);
    const { token } = await join(owner, member, 'AGENT');
    expect(code(await graphqlRequest(server.graphqlUrl, MEMBERS, {}, token))).toBeUndefined();
    await graphqlOk(server.graphqlUrl, REMOVE_MEMBER, { userId: member.userId }, owner.accessToken);
    expect(code(await graphqlRequest(server.graphqlUrl, MEMBERS, {}, token))).toBe('UNAUTHENTICATED');
  });

  it('keeps at least one owner and lets only owners touch owners', async () => {
    const owner = await signUpAccount(server.graphqlUrl);
    const admin = await signUpAccount(server.graphqlUrl);
    const { token: adminToken } = await join(owner, admin, 'ADMIN');
    expect(code(await graphqlRequest(server.graphqlUrl, UPDATE_MEMBER_ROLE, { userId: owner.userId, role: 'VIEWER' }, owner.accessToken))).toBe('CONFLICT');
    expect(code(await graphqlRequest(server.graphqlUrl, REMOVE_MEMBER, { userId: owner.userId }, adminToken))).toBe('FORBIDDEN');
    expect(code(await graphqlRequest(server.graphqlUrl, UPDATE_MEMBER_ROLE, { userId: admin.userId, role: 'OWNER' }, adminToken))).toBe('FORBIDDEN');
  });

  it('pages members with opaque cursors and a bounded page size', async () => {
    const owner = await signUpAccount(server.graphqlUrl);
    for (const role of ['VIEWER', 'ANALYST']) await join(owner, await signUpAccount(server.graphqlUrl), role);
    const first = await graphqlOk(server.graphqlUrl, MEMBERS, { first: 2 }, owner.accessToken);
    expect(first.members.edges).toHaveLength(2);
    expect(first.members.pageInfo.hasNextPage).toBe(true);
    const rest = await graphqlOk(server.graphqlUrl, MEMBERS, { first: 2, after: first.members.pageInfo.endCursor }, owner.accessToken);
    expect(rest.members.edges).toHaveLength(1);
    expect(rest.members.pageInfo.hasNextPage).toBe(false);
    const all = [...first.members.edges, ...rest.members.edges].map((e: any) => e.node.userId);
    expect(new Set(all).size).toBe(3);
    expect(code(await graphqlRequest(server.graphqlUrl, MEMBERS, { first: 101 }, owner.accessToken))).toBe('BAD_USER_INPUT');
    expect(code(await graphqlRequest(server.graphqlUrl, MEMBERS, { after: 'garbage' }, owner.accessToken))).toBe('BAD_USER_INPUT');
  });

  it('lets only owners and admins read the audit log', async () => {
    const owner = await signUpAccount(server.graphqlUrl);
    const analyst = await signUpAccount(server.graphqlUrl);
    const { token } = await join(owner, analyst, 'ANALYST');
    expect(code(await graphqlRequest(server.graphqlUrl, AUDIT_LOG, {}, token))).toBe('FORBIDDEN');
    const { auditLog } = await graphqlOk(server.graphqlUrl, AUDIT_LOG, {}, owner.accessToken);
    expect(auditLog.edges.map((e: any) => e.node.action)).toEqual(expect.arrayContaining(['member.invited', 'member.joined', 'user.signed_up']));
  });
});

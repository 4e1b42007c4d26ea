import { beforeAll, describe, expect, it } from 'vitest';
import { signUpAccount, type Account } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest } from '../../test/graphql-test-client.ts';
import { ACCEPT_INVITATION, INVITE_MEMBER } from '../../test/operations.ts';
import { sharedTestServer } from '../../test/shared-test-server.ts';
import type { TestServer } from '../../test/test-server.ts';

/* Pending invitations listed and withdrawn (issue 17, the Console's Team screen). */
const INVITATIONS = /* GraphQL */ `{ invitations(first: 20) { totalCount edges { node { id email role expiresAt } } } }`;
const REVOKE = /* GraphQL */ `mutation($id: ID!) { revokeInvitation(id: $id) }`;
const AUDIT = /* GraphQL */ `{ auditLog(first: 5) { edges { node { action targetId } } } }`;

let server: TestServer;
let owner: Account;
let other: Account;

const code = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;

beforeAll(async () => {
  server = await sharedTestServer();
  owner = await signUpAccount(server.graphqlUrl, 'Inviting Inc');
  other = await signUpAccount(server.graphqlUrl, 'Other Inc');
});

describe('pending invitations', () => {
  it('are listed until accepted or revoked, and a revoked link no longer works', async () => {
    const invitee = await signUpAccount(server.graphqlUrl);
    const joiner = await signUpAccount(server.graphqlUrl);
    const { inviteMember: revoked } = await graphqlOk(server.graphqlUrl, INVITE_MEMBER, { input: { email: invitee.email, role: 'AGENT' } }, owner.accessToken);
    const { inviteMember: accepted } = await graphqlOk(server.graphqlUrl, INVITE_MEMBER, { input: { email: joiner.email, role: 'ANALYST' } }, owner.accessToken);

    const listed = await graphqlOk(server.graphqlUrl, INVITATIONS, {}, owner.accessToken);
    expect(listed.invitations.totalCount).toBe(2);
    expect(listed.invitations.edges.map((e: { node: { email: string; role: string } }) => [e.node.email, e.node.role]))
      .toEqual([[joiner.email, 'ANALYST'], [invitee.email, 'AGENT']]);

    await graphqlOk(server.graphqlUrl, ACCEPT_INVITATION, { token: accepted.token }, joiner.accessToken);
    expect(await graphqlOk(server.graphqlUrl, REVOKE, { id: revoked.invitation.id }, owner.accessToken)).toEqual({ revokeInvitation: true });
    expect((await graphqlOk(server.graphqlUrl, INVITATIONS, {}, owner.accessToken)).invitations.totalCount).toBe(0);
    expect(code(await graphqlRequest(server.graphqlUrl, ACCEPT_INVITATION, { token: revoked.token }, invitee.accessToken))).toBe('NOT_FOUND');
    // An accepted invitation is a member now: it cannot be revoked.
    expect(code(await graphqlRequest(server.graphqlUrl, REVOKE, { id: accepted.invitation.id }, owner.accessToken))).toBe('CONFLICT');

    const { auditLog } = await graphqlOk(server.graphqlUrl, AUDIT, {}, owner.accessToken);
    expect(auditLog.edges.map((e: { node: { action: string; targetId: string } }) => e.node))
      .toContainEqual({ action: 'member.invitation_revoked', targetId: revoked.invitation.id });
  });

  it("are for owners and admins only, and another tenant's are NOT_FOUND", async () => {
    const { inviteMember } = await graphqlOk(server.graphqlUrl, INVITE_MEMBER, { input: { email: 'later@example.com', role: 'VIEWER' } }, owner.accessToken);
    expect(code(await graphqlRequest(server.graphqlUrl, REVOKE, { id: inviteMember.invitation.id }, other.accessToken))).toBe('NOT_FOUND');
    expect((await graphqlOk(server.graphqlUrl, INVITATIONS, {}, other.accessToken)).invitations.totalCount).toBe(0);

    const agent = await signUpAccount(server.graphqlUrl);
    const { inviteMember: asAgent } = await graphqlOk(server.graphqlUrl, INVITE_MEMBER, { input: { email: agent.email, role: 'AGENT' } }, owner.accessToken);
    const { acceptInvitation } = await graphqlOk(server.graphqlUrl, ACCEPT_INVITATION, { token: asAgent.token }, agent.accessToken);
    expect(code(await graphqlRequest(server.graphqlUrl, INVITATIONS, {}, acceptInvitation.accessToken))).toBe('FORBIDDEN');
    expect(code(await graphqlRequest(server.graphqlUrl, REVOKE, { id: inviteMember.invitation.id }, acceptInvitation.accessToken))).toBe('FORBIDDEN');
    expect(code(await graphqlRequest(server.graphqlUrl, REVOKE, { id: 'nope' }, owner.accessToken))).toBe('BAD_USER_INPUT');
  });
});

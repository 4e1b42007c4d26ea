/** GraphQL's MemberRole enum (schema/schema.graphql). */
export type MemberRole = 'OWNER' | 'ADMIN' | 'DESIGNER' | 'AGENT' | 'ANALYST' | 'VIEWER';

export const ALL_ROLES: readonly MemberRole[] = ['OWNER', 'ADMIN', 'DESIGNER', 'AGENT', 'ANALYST', 'VIEWER'];

/**
 * Roles by what the server lets them do (server/src/core/auth/permissions.ts, ROLE_PERMISSIONS): the Console only
 * hides what a role would be refused anyway; the API decides.
 */
export const ROLES_WITH = {
  /** conversations:handle — take over, reply, hand back (the Inbox). */
  handleConversations: ['OWNER', 'ADMIN', 'AGENT'],
  /** conversations:read — the Conversations screen. */
  readConversations: ['OWNER', 'ADMIN', 'DESIGNER', 'AGENT', 'ANALYST'],
  /** leads:read */
  readLeads: ['OWNER', 'ADMIN', 'AGENT'],
  /** analytics:read */
  readAnalytics: ['OWNER', 'ADMIN', 'ANALYST'],
  /** members:manage, keys:manage, webhooks:manage, audit:read */
  manageTenant: ['OWNER', 'ADMIN'],
} as const satisfies Record<string, readonly MemberRole[]>;

export const roleLabel = (role: MemberRole) => role.charAt(0) + role.slice(1).toLowerCase();

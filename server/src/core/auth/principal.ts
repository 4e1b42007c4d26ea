import type { ApiKeyScope, MembershipRole } from './permissions.ts';

/**
 * Who is making a request. Resolved once per HTTP request or graphql-ws connection from the
 * bearer token (and, for members and keys, the database, cached per instance); resolvers only ever
 * ask the principal.
 */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string; tenantId: string; role: MembershipRole; familyId?: string }
  | { kind: 'apiKey'; keyId: string; tenantId: string; scopes: ApiKeyScope[] }
  | { kind: 'visitor'; tenantId: string; botId: string; conversationId: string };

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;
export type ApiKeyPrincipal = Extract<Principal, { kind: 'apiKey' }>;
export type VisitorPrincipal = Extract<Principal, { kind: 'visitor' }>;
/** A member or a partner's key: someone acting for a tenant (not a visitor). */
export type TenantActor = UserPrincipal | ApiKeyPrincipal;

export const ANONYMOUS: Principal = { kind: 'anonymous' };

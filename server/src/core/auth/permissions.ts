/**
 * The authorization vocabulary: what roles and API key scopes may do. Checked per request against
 * the principal, whose role comes from the database through each instance's identity cache, which
 * every instance drops on a role change or removal: it takes effect within a second everywhere,
 * not when an access token expires.
 */
export const MEMBERSHIP_ROLES = ['owner', 'admin', 'designer', 'agent', 'analyst', 'viewer'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

/**
 * Stored as written here and shown in GraphQL in upper case (ApiKeyScopeEnum): lower-case words joined
 * by `_`, so a scope granting one permission is that permission with `_` for `:` (leads:read → leads_read,
 * GraphQL LEADS_READ), since GraphQL enum values cannot hold a colon.
 */
export const API_KEY_SCOPES = ['read', 'write', 'publish', 'analytics', 'leads_read', 'conversations_handle'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export type Permission =
  | 'bots:read'
  | 'bots:write'
  | 'bots:publish'
  | 'knowledge:write'
  | 'conversations:read'
  | 'conversations:handle'
  | 'leads:read'
  | 'analytics:read'
  | 'members:read'
  | 'members:manage'
  | 'keys:manage'
  | 'webhooks:manage'
  | 'audit:read'
  // Exporting and erasing everything about one visitor (GDPR): owners and admins only, never an API key scope.
  | 'privacy:manage';

const EVERYTHING: readonly Permission[] = [
  'bots:read', 'bots:write', 'bots:publish', 'knowledge:write', 'conversations:read', 'conversations:handle',
  'leads:read', 'analytics:read', 'members:read', 'members:manage', 'keys:manage', 'webhooks:manage', 'audit:read',
  'privacy:manage',
];

export const ROLE_PERMISSIONS: Record<MembershipRole, readonly Permission[]> = {
  owner: EVERYTHING,
  admin: EVERYTHING,
  designer: ['bots:read', 'bots:write', 'bots:publish', 'knowledge:write', 'conversations:read', 'members:read'],
  // Leads hold visitors' contact details: for the people who follow up on them, not for every reader.
  agent: ['bots:read', 'conversations:read', 'conversations:handle', 'leads:read', 'members:read'],
  analyst: ['bots:read', 'conversations:read', 'analytics:read', 'members:read'],
  viewer: ['bots:read', 'members:read'],
};

export const SCOPE_PERMISSIONS: Record<ApiKeyScope, readonly Permission[]> = {
  read: ['bots:read', 'conversations:read'],
  // Partners wire up their own webhook receivers, so write keys may manage endpoints.
  write: ['bots:write', 'knowledge:write', 'webhooks:manage'],
  publish: ['bots:publish'],
  analytics: ['analytics:read'],
  // Visitors' contact details: never implied by `read`, so a key sees them only when granted on purpose.
  leads_read: ['leads:read'],
  // A partner's helpdesk handling handoffs as a named integration agent (agent.resolver.ts).
  conversations_handle: ['conversations:handle'],
};

export function roleAllows(role: MembershipRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export function scopesAllow(scopes: readonly ApiKeyScope[], permission: Permission): boolean {
  return scopes.some((scope) => SCOPE_PERMISSIONS[scope].includes(permission));
}

/** Whether a member (by role) or a key (by scopes) may do `permission`: for services deciding more than the resolver's gate. */
export function actorAllows(actor: { kind: 'user'; role: MembershipRole } | { kind: 'apiKey'; scopes: readonly ApiKeyScope[] }, permission: Permission): boolean {
  return actor.kind === 'user' ? roleAllows(actor.role, permission) : scopesAllow(actor.scopes, permission);
}

/**
 * The authorization vocabulary: what roles and API key scopes may do. Checked per request against
 * the principal, whose role comes from the database through each instance's identity cache, which
 * every instance drops on a role change or removal: it takes effect within a second everywhere,
 * not when an access token expires.
 */
export const MEMBERSHIP_ROLES = ['owner', 'admin', 'designer', 'agent', 'analyst', 'viewer'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

export const API_KEY_SCOPES = ['read', 'write', 'publish', 'analytics'] as const;
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
  | 'audit:read';

const EVERYTHING: readonly Permission[] = [
  'bots:read', 'bots:write', 'bots:publish', 'knowledge:write', 'conversations:read', 'conversations:handle',
  'leads:read', 'analytics:read', 'members:read', 'members:manage', 'keys:manage', 'webhooks:manage', 'audit:read',
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
};

export function roleAllows(role: MembershipRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export function scopesAllow(scopes: readonly ApiKeyScope[], permission: Permission): boolean {
  return scopes.some((scope) => SCOPE_PERMISSIONS[scope].includes(permission));
}

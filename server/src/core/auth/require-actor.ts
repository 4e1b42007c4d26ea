import { DomainError } from '../errors/index.ts';
import { roleAllows, scopesAllow, type Permission } from './permissions.ts';
import type { Principal, TenantActor } from './principal.ts';

/**
 * The member or API key allowed to do `permission` in its tenant, for every surface that checks one
 * (GraphQL resolvers through `requirePermission`, the CSV and transcript download routes). A member or key
 * lacking it is FORBIDDEN, naming what is missing; anyone else is UNAUTHENTICATED, with `unauthenticated`
 * as the message when the surface has a better hint (a download route names the header to send).
 */
export function requireActor(principal: Principal, permission: Permission, unauthenticated?: string): TenantActor {
  if (principal.kind === 'user') {
    if (roleAllows(principal.role, permission)) return principal;
    throw DomainError.forbidden(`Your role (${principal.role}) does not allow ${permission}.`);
  }
  if (principal.kind === 'apiKey') {
    if (scopesAllow(principal.scopes, permission)) return principal;
    throw DomainError.forbidden(`This API key's scopes (${principal.scopes.join(', ')}) do not allow ${permission}.`);
  }
  throw DomainError.unauthenticated(
    unauthenticated ?? (principal.kind === 'visitor' ? 'This needs a member access token or an API key, not a visitor token.' : undefined),
  );
}

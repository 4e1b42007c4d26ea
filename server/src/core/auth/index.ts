export {
  ANONYMOUS,
  type ApiKeyPrincipal,
  type Principal,
  type TenantActor,
  type UserPrincipal,
  type VisitorPrincipal,
} from './principal.ts';
export {
  API_KEY_SCOPES,
  MEMBERSHIP_ROLES,
  ROLE_PERMISSIONS,
  SCOPE_PERMISSIONS,
  actorAllows,
  roleAllows,
  scopesAllow,
  type ApiKeyScope,
  type MembershipRole,
  type Permission,
} from './permissions.ts';
export { requireActor } from './require-actor.ts';

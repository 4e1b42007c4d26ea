import type { EntityManager } from '@mikro-orm/postgresql';
import {
  requireActor,
  type Permission,
  type Principal,
  type TenantActor,
  type UserPrincipal,
  type VisitorPrincipal,
} from '../auth/index.ts';
import { DomainError } from '../errors/index.ts';

/** Per-operation context: its own EntityManager fork and the authenticated principal. */
export interface GraphQLContext {
  em: EntityManager;
  principal: Principal;
  /** The Origin header of the request or socket, for visitor origin checks. */
  origin: string | undefined;
  /** Client address, for the audit log and rate limits. */
  ip: string | undefined;
  /** Correlates a masked error a client sees with the full error in the log. */
  requestId: string;
}

export type { TenantActor, UserPrincipal, VisitorPrincipal };

export function requireUser(ctx: GraphQLContext): UserPrincipal {
  if (ctx.principal.kind === 'user') return ctx.principal;
  throw DomainError.unauthenticated(
    ctx.principal.kind === 'visitor' ? 'This needs a member access token, not a visitor token.' : undefined,
  );
}

export function requireVisitor(ctx: GraphQLContext): VisitorPrincipal {
  if (ctx.principal.kind === 'visitor') return ctx.principal;
  throw DomainError.unauthenticated('This needs the visitor token returned by startConversation.');
}

/** A member or API key allowed to do `permission` in its tenant (core/auth's requireActor says how it is refused). */
export function requirePermission(ctx: GraphQLContext, permission: Permission): TenantActor {
  return requireActor(ctx.principal, permission);
}

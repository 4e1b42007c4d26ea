import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { keysetRequest } from '../../core/db/index.ts';
import { PageArgs, requirePermission, type Connection, type GraphQLContext } from '../../core/graphql/index.ts';
import type { AuditService } from './audit.service.ts';
import { AuditEventConnection, type AuditEventType } from './audit.types.ts';

@Resolver()
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Query(() => AuditEventConnection, { description: 'Security-relevant actions, newest first (owners and admins).' })
  auditLog(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: GraphQLContext): Promise<Connection<AuditEventType>> {
    return this.audit.list(ctx.em, requirePermission(ctx, 'audit:read').tenantId, keysetRequest(page));
  }
}

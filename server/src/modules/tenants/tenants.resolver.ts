import { Ctx, Query, Resolver } from 'type-graphql';
import { requirePermission, type GraphQLContext } from '../../core/graphql/index.ts';
import { UsageType } from './tenants.types.ts';
import type { UsageService } from './usage.service.ts';

@Resolver()
export class TenantsResolver {
  constructor(private readonly usageService: UsageService) {}

  @Query(() => UsageType, { description: "The current tenant's plan limits and this month's usage." })
  usage(@Ctx() ctx: GraphQLContext): Promise<UsageType> {
    return this.usageService.usage(ctx.em, requirePermission(ctx, 'bots:read').tenantId);
  }
}

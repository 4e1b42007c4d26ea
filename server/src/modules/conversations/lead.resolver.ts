import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import { pageRequest } from '../../core/db/index.ts';
import { PageArgs, requirePermission, type Connection, type GraphQLContext } from '../../core/graphql/index.ts';
import type { LeadsService } from './lead.service.ts';
import { LeadConnection, type LeadType } from './lead.types.ts';

@Resolver()
export class LeadsResolver {
  constructor(private readonly leadsService: LeadsService) {}

  @Query(() => LeadConnection, { description: "A bot's leads, newest first (owners, admins and agents)." })
  leads(@Arg('botId', () => ID) botId: string, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: GraphQLContext): Promise<Connection<LeadType>> {
    return this.leadsService.list(ctx.em, requirePermission(ctx, 'leads:read').tenantId, botId, pageRequest(page)) as Promise<Connection<LeadType>>;
  }
}

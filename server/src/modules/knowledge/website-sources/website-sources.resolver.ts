import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { requirePermission, type GraphQLContext } from '../../../core/graphql/index.ts';
import type { WebsiteSourcesService } from './website-sources.service.ts';
import { WebsiteSourceInput, WebsiteSourceType } from './website-sources.types.ts';

@Resolver()
export class WebsiteSourcesResolver {
  constructor(private readonly sources: WebsiteSourcesService) {}

  @Mutation(() => WebsiteSourceType, {
    description:
      "Adds a website to a bot's knowledge and starts its first sync (progress on ingestionEvents). Same site only, robots.txt honoured (user agent MascotBot); re-synced every syncIntervalHours. Visitors see its pages after the next publishBot.",
  })
  addWebsiteSource(
    @Arg('botId', () => ID) botId: string,
    @Arg('input', () => WebsiteSourceInput) input: WebsiteSourceInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<WebsiteSourceType> {
    return this.sources.add(ctx.em, requirePermission(ctx, 'knowledge:write'), botId, input) as Promise<WebsiteSourceType>;
  }

  @Query(() => [WebsiteSourceType], { description: "A bot's website sources, oldest first, with their last sync, page count and page errors." })
  websiteSources(@Arg('botId', () => ID) botId: string, @Ctx() ctx: GraphQLContext): Promise<WebsiteSourceType[]> {
    return this.sources.list(ctx.em, requirePermission(ctx, 'bots:read').tenantId, botId) as Promise<WebsiteSourceType[]>;
  }

  @Mutation(() => WebsiteSourceType, {
    description: 'Syncs a website source now: changed pages are learnt again, unchanged ones cost nothing, removed ones are removed. A sync already under way is answered as it is.',
  })
  syncWebsiteSource(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<WebsiteSourceType> {
    return this.sources.sync(ctx.em, requirePermission(ctx, 'knowledge:write'), id) as Promise<WebsiteSourceType>;
  }

  @Mutation(() => WebsiteSourceType, { description: 'Deletes a website source and every page learnt from it; answers the source as it was.' })
  deleteWebsiteSource(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<WebsiteSourceType> {
    return this.sources.delete(ctx.em, requirePermission(ctx, 'knowledge:write'), id, ctx.ip) as Promise<WebsiteSourceType>;
  }
}

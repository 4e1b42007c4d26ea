import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { requirePermission, type GraphQLContext } from '../../core/graphql/index.ts';
import type { BotLifecycleService } from './bot-lifecycle.service.ts';
import { toBotType } from './bots.resolver.ts';
import { BotType } from './bots.types.ts';

/** Archiving changes what visitors can reach, like publishing; deleting and restoring change what the tenant keeps. */
@Resolver()
export class BotLifecycleResolver {
  constructor(private readonly lifecycle: BotLifecycleService) {}

  @Mutation(() => BotType, { description: 'Archives a bot: it starts no conversations (BOT_ARCHIVED) until unarchiveBot. Nothing is deleted.' })
  async archiveBot(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<BotType> {
    return toBotType(await this.lifecycle.archive(ctx.em, requirePermission(ctx, 'bots:publish'), id, ctx.ip));
  }

  @Mutation(() => BotType, { description: 'Lets an archived bot answer visitors again.' })
  async unarchiveBot(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<BotType> {
    return toBotType(await this.lifecycle.unarchive(ctx.em, requirePermission(ctx, 'bots:publish'), id, ctx.ip));
  }

  @Mutation(() => BotType, {
    description:
      "Deletes a bot: it stops counting against the plan at once and is purged with all its versions, conversations, leads, feedback, knowledge and analytics at purgeAfter; restoreBot undoes it until then.",
  })
  async deleteBot(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<BotType> {
    return toBotType(await this.lifecycle.delete(ctx.em, requirePermission(ctx, 'bots:write'), id, ctx.ip));
  }

  @Mutation(() => BotType, { description: "Undoes deleteBot before purgeAfter; QUOTA_EXCEEDED when the plan has no room for the bot any more." })
  async restoreBot(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<BotType> {
    return toBotType(await this.lifecycle.restore(ctx.em, requirePermission(ctx, 'bots:write'), id, ctx.ip));
  }
}

import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { requirePermission, type GraphQLContext } from '../../core/graphql/index.ts';
import type { CannedRepliesService } from './canned-replies.service.ts';
import { CannedReplyInputType, CannedReplyType } from './canned-replies.types.ts';

/** The team's canned replies: agents read them (conversations:handle), owners and admins keep them (members:manage). */
@Resolver()
export class CannedRepliesResolver {
  constructor(private readonly replies: CannedRepliesService) {}

  @Query(() => [CannedReplyType], { description: "The team's canned replies by shortcut (conversations:handle)." })
  cannedReplies(@Ctx() ctx: GraphQLContext): Promise<CannedReplyType[]> {
    return this.replies.list(ctx.em, requirePermission(ctx, 'conversations:handle').tenantId);
  }

  @Mutation(() => CannedReplyType, { description: 'Adds a canned reply for the team (members:manage); at most 200.' })
  createCannedReply(@Arg('input', () => CannedReplyInputType) input: CannedReplyInputType, @Ctx() ctx: GraphQLContext): Promise<CannedReplyType> {
    return this.replies.create(ctx.em, requirePermission(ctx, 'members:manage'), input, ctx.ip);
  }

  @Mutation(() => CannedReplyType, { description: 'Changes a canned reply (members:manage).' })
  updateCannedReply(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => CannedReplyInputType) input: CannedReplyInputType,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CannedReplyType> {
    return this.replies.update(ctx.em, requirePermission(ctx, 'members:manage'), id, input, ctx.ip);
  }

  @Mutation(() => ID, { description: 'Deletes a canned reply (members:manage). Returns its id.' })
  deleteCannedReply(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<string> {
    return this.replies.remove(ctx.em, requirePermission(ctx, 'members:manage'), id, ctx.ip);
  }
}

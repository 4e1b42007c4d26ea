import { Arg, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { requirePermission, requireVisitor, type GraphQLContext } from '../../core/graphql/index.ts';
import { traced } from '../../core/telemetry/index.ts';
import type { ConversationsService } from './conversations.service.ts';
import { ConversationEventUnion, MessageType, VisitorSessionType } from './conversations.types.ts';
import { BotUsageService } from './reply-usage.ts';
import { BotUsageDayType } from './reply-usage.types.ts';

/**
 * Built by a factory rather than given to the container: type-graphql calls a subscription's
 * `subscribe` function without the resolver instance, so the service reaches it by closure.
 */
export function createConversationsResolver(conversations: ConversationsService, botUsage = new BotUsageService()) {
  @Resolver()
  class ConversationsResolver {
    @Mutation(() => VisitorSessionType, {
      description:
        'Starts a visitor conversation with a published bot. No account needed. visitorId: the anonymous id the widget keeps ' +
        'per visitor (8-64 of A-Z a-z 0-9 _ -), which keeps their A/B variant sticky. hostOrigin: the page embedding the ' +
        "widget iframe. Refused (FORBIDDEN, reason ORIGIN_NOT_ALLOWED) when the calling page, or that host page, is not on the bot's allowed origins.",
    })
    startConversation(
      // Both optional and without descriptions of their own, so the SDL keeps the one-line signature partners grep for.
      @Arg('embedId', () => String) embedId: string,
      @Arg('visitorId', () => String, { nullable: true }) visitorId: string | null,
      @Arg('hostOrigin', () => String, { nullable: true }) hostOrigin: string | null,
      @Ctx() ctx: GraphQLContext,
    ): Promise<VisitorSessionType> {
      return conversations.start(ctx.em, embedId, { visitorId, hostOrigin, requestOrigin: ctx.origin });
    }

    @Mutation(() => MessageType, { description: 'Sends a visitor message; the reply streams on conversationEvents.' })
    sendMessage(
      @Arg('conversationId', () => ID) conversationId: string,
      @Arg('text', () => String) text: string,
      @Ctx() ctx: GraphQLContext,
    ): Promise<MessageType> {
      // The root of a visitor message's trace (core/telemetry): the reply's spans are its children.
      return traced('graphql.mutation sendMessage', () => conversations.send(ctx.em, requireVisitor(ctx), conversationId, text, ctx.ip)) as Promise<MessageType>;
    }

    @Subscription(() => ConversationEventUnion, {
      description:
        'Events of one conversation: ConversationSubscribed first, then (with afterSeq) every logged event after that seq, ' +
        'then each reply and avatar cue live as it streams and as stored. Seqs increase across replies; a reconnect passes ' +
        'the last seq it saw and receives each event exactly once. Events stay replayable for 24 hours.',
      subscribe: ({ args, context }: SubscribeResolverData<unknown, Record<string, unknown>, GraphQLContext>) =>
        conversations.events(
          context.em,
          context.principal,
          String(args['conversationId']),
          (args['afterSeq'] as number | null | undefined) ?? null,
        ),
    })
    conversationEvents(
      @Arg('conversationId', () => ID) _conversationId: string,
      @Arg('afterSeq', () => Int, { nullable: true }) _afterSeq: number | null,
      @Root() event: typeof ConversationEventUnion,
    ): typeof ConversationEventUnion {
      return event;
    }

    @Query(() => [BotUsageDayType], {
      description: "A bot's AI usage and cost per UTC day with replies, oldest first; the last 30 days unless from/to (YYYY-MM-DD, inclusive) say otherwise.",
    })
    botUsageDaily(
      @Arg('botId', () => ID) botId: string,
      @Arg('from', () => String, { nullable: true }) from: string | null,
      @Arg('to', () => String, { nullable: true }) to: string | null,
      @Ctx() ctx: GraphQLContext,
    ): Promise<BotUsageDayType[]> {
      return botUsage.daily(ctx.em, requirePermission(ctx, 'analytics:read').tenantId, botId, { from, to });
    }
  }
  return ConversationsResolver;
}

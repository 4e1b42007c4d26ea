import { Arg, Ctx, ID, Mutation, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { requireVisitor, type GraphQLContext } from '../../core/graphql/index.ts';
import type { ConversationsService } from './conversations.service.ts';
import { ConversationEventUnion, MessageType, VisitorSessionType } from './conversations.types.ts';

/**
 * Built by a factory rather than given to the container: type-graphql calls a subscription's
 * `subscribe` function without the resolver instance, so the service reaches it by closure.
 */
export function createConversationsResolver(conversations: ConversationsService) {
  @Resolver()
  class ConversationsResolver {
    @Mutation(() => VisitorSessionType, { description: 'Starts a visitor conversation with a published bot. No account needed.' })
    startConversation(@Arg('embedId', () => String) embedId: string, @Ctx() ctx: GraphQLContext): Promise<VisitorSessionType> {
      return conversations.start(ctx.em, embedId);
    }

    @Mutation(() => MessageType, { description: 'Sends a visitor message; the reply streams on conversationEvents.' })
    sendMessage(
      @Arg('conversationId', () => ID) conversationId: string,
      @Arg('text', () => String) text: string,
      @Ctx() ctx: GraphQLContext,
    ): Promise<MessageType> {
      return conversations.send(ctx.em, requireVisitor(ctx), conversationId, text) as Promise<MessageType>;
    }

    @Subscription(() => ConversationEventUnion, {
      description:
        'Live events of one conversation: ConversationSubscribed first, then each reply as it streams and as stored.',
      subscribe: ({ args, context }: SubscribeResolverData<unknown, Record<string, unknown>, GraphQLContext>) =>
        conversations.events(context.em, context.principal, String(args['conversationId'])),
    })
    conversationEvents(
      @Arg('conversationId', () => ID) _conversationId: string,
      @Root() event: typeof ConversationEventUnion,
    ): typeof ConversationEventUnion {
      return event;
    }
  }
  return ConversationsResolver;
}

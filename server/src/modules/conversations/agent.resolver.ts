import { Arg, Ctx, ID, Mutation, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { requirePermission, type GraphQLContext } from '../../core/graphql/index.ts';
import { MessageType } from './conversations.types.ts';
import type { HandoffAgent } from './handoff-agent.ts';
import type { HandoffService } from './handoff.service.ts';
import { HandoffConversationType, HandoffQueueEventType, TakenOverConversationType } from './handoff.types.ts';

/**
 * Members with conversations:handle act as themselves; API keys with the conversations_handle scope act as an
 * integration agent named after the key (or the display name given), audited with the key as actor (handoff-agent.ts).
 */
function requireAgent(ctx: GraphQLContext): HandoffAgent {
  return requirePermission(ctx, 'conversations:handle');
}

/**
 * The agent console's operations. A factory like the conversations resolver: type-graphql calls a
 * subscription's `subscribe` without the resolver instance, so the service is reached by closure.
 */
export function createAgentResolver(handoff: HandoffService) {
  @Resolver()
  class AgentResolver {
    @Subscription(() => HandoffQueueEventType, {
      description:
        "The tenant's handoff queue for agents (conversations:handle): every conversation waiting for a person now, then each change live.",
      subscribe: ({ args, context }: SubscribeResolverData<unknown, Record<string, unknown>, GraphQLContext>) =>
        handoff.queue(context.em, requireAgent(context), (args['botId'] as string | null | undefined) ?? null),
    })
    waitingConversations(
      @Arg('botId', () => ID, { nullable: true, description: "Only this bot's conversations." }) _botId: string | null,
      @Root() change: HandoffQueueEventType,
    ): HandoffQueueEventType {
      return change;
    }

    @Mutation(() => TakenOverConversationType, {
      description:
        'Takes a conversation over: the bot falls silent and the visitor sees the agent join. Of agents racing, one wins; the others get CONFLICT (reason TAKEN_BY_ANOTHER_AGENT).',
    })
    takeOverConversation(
      @Arg('conversationId', () => ID) conversationId: string,
      @Arg('displayName', () => String, {
        nullable: true,
        description: "How the visitor sees you; defaults to the first part of your e-mail address (an API key: the key's name).",
      })
      displayName: string | null,
      @Ctx() ctx: GraphQLContext,
    ): Promise<TakenOverConversationType> {
      return handoff.takeOver(ctx.em, requireAgent(ctx), conversationId, displayName) as Promise<TakenOverConversationType>;
    }

    @Mutation(() => MessageType, { description: 'Replies to the visitor as yourself in a conversation you took over.' })
    sendAgentMessage(
      @Arg('conversationId', () => ID) conversationId: string,
      @Arg('text', () => String) text: string,
      @Ctx() ctx: GraphQLContext,
    ): Promise<MessageType> {
      return handoff.sendAgentMessage(ctx.em, requireAgent(ctx), conversationId, text) as Promise<MessageType>;
    }

    @Mutation(() => HandoffConversationType, {
      description: 'Returns a conversation to the bot: leaves one you took over, or dismisses a waiting request.',
    })
    handBackConversation(@Arg('conversationId', () => ID) conversationId: string, @Ctx() ctx: GraphQLContext): Promise<HandoffConversationType> {
      return handoff.handBack(ctx.em, requireAgent(ctx), conversationId) as Promise<HandoffConversationType>;
    }
  }
  return AgentResolver;
}

import { Arg, Ctx, Field, ID, Mutation, ObjectType, registerEnumType, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { requirePermission, requireVisitor, type GraphQLContext } from '../../core/graphql/index.ts';
import type { TypingIndicators, TypingSignal } from './typing-indicators.ts';

export enum TypingPartyEnum {
  VISITOR = 'VISITOR',
  AGENT = 'AGENT',
}
registerEnumType(TypingPartyEnum, { name: 'TypingParty', description: 'Who types: the visitor, or the agent holding the conversation.' });

@ObjectType('TypingIndicator', { description: 'The other side started or stopped typing. Ephemeral: never stored, not replayed.' })
export class TypingIndicatorType {
  @Field(() => TypingPartyEnum) who!: TypingPartyEnum;
  @Field(() => String, { nullable: true, description: "The agent's name as the visitor sees it; null for the visitor." }) name!: string | null;
  @Field(() => Boolean, { description: 'false: stopped (or sent the message). Treat a typing signal not repeated for 5 seconds as stopped.' })
  typing!: boolean;
  @Field(() => GraphQLDateTimeISO) at!: string;
}

const SENT_DESCRIPTION = 'true when forwarded; false when dropped by the throttle (the same state again within 1.5 s, a change within 0.25 s).';

/** Typing indicators both ways between the visitor and the agent holding a conversation (typing-indicators.ts). */
export function createTypingIndicatorsResolver(typing: TypingIndicators) {
  @Resolver()
  class TypingIndicatorsResolver {
    @Subscription(() => TypingIndicatorType, {
      description:
        "The other side's typing in a conversation: the visitor (visitor token, own conversation) hears the agent; members " +
        '(conversations:read) hear the visitor. NOT_FOUND for any other conversation.',
      subscribe: ({ args, context }: SubscribeResolverData<unknown, Record<string, unknown>, GraphQLContext>) =>
        typing.follow(context.em, context.principal, String(args['conversationId'])),
    })
    typingIndicators(@Arg('conversationId', () => ID) _conversationId: string, @Root() signal: TypingSignal): TypingIndicatorType {
      return signal as TypingIndicatorType;
    }

    @Mutation(() => Boolean, { description: `The visitor types (visitor token, own conversation). ${SENT_DESCRIPTION}` })
    setVisitorTyping(
      @Arg('conversationId', () => ID) conversationId: string,
      @Arg('typing', () => Boolean) isTyping: boolean,
      @Ctx() ctx: GraphQLContext,
    ): Promise<boolean> {
      return typing.fromVisitor(requireVisitor(ctx), conversationId, isTyping);
    }

    @Mutation(() => Boolean, { description: `The agent holding the conversation types (conversations:handle; otherwise CONFLICT). ${SENT_DESCRIPTION}` })
    setAgentTyping(
      @Arg('conversationId', () => ID) conversationId: string,
      @Arg('typing', () => Boolean) isTyping: boolean,
      @Ctx() ctx: GraphQLContext,
    ): Promise<boolean> {
      return typing.fromAgent(ctx.em, requirePermission(ctx, 'conversations:handle'), conversationId, isTyping);
    }
  }
  return TypingIndicatorsResolver;
}

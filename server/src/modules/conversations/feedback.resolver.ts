import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { keysetRequest } from '../../core/db/index.ts';
import { PageArgs, requirePermission, requireVisitor, type Connection, type GraphQLContext } from '../../core/graphql/index.ts';
import type { FeedbackService } from './feedback.service.ts';
import {
  AnswerFeedbackConnection,
  AnswerFeedbackInput,
  AnswerFeedbackType,
  ConversationRatingConnection,
  ConversationRatingInput,
  ConversationRatingType,
} from './feedback.types.ts';

@Resolver()
export class FeedbackResolver {
  constructor(private readonly feedback: FeedbackService) {}

  @Query(() => AnswerFeedbackConnection, {
    description: "A bot's 👍/👎 ratings of answers with the visitors' comments, newest first; helpful: true or false for one kind only.",
  })
  answerFeedback(
    @Arg('botId', () => ID) botId: string,
    @Arg('helpful', () => Boolean, { nullable: true }) helpful: boolean | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<AnswerFeedbackType>> {
    const { tenantId } = requirePermission(ctx, 'conversations:read');
    return this.feedback.listAnswerFeedback(ctx.em, tenantId, botId, helpful ?? null, keysetRequest(page));
  }

  @Query(() => ConversationRatingConnection, { description: "A bot's conversation ratings (CSAT, 1–5) with the visitors' comments, newest first." })
  conversationRatings(
    @Arg('botId', () => ID) botId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<ConversationRatingType>> {
    return this.feedback.listConversationRatings(ctx.em, requirePermission(ctx, 'conversations:read').tenantId, botId, keysetRequest(page));
  }

  @Mutation(() => AnswerFeedbackType, {
    description:
      "The widget's 👍/👎 under an answer (visitor token), with an optional comment. Rating the same answer again replaces the rating " +
      'and comment. messageId must be an assistant message of this conversation (NOT_FOUND otherwise); a comment over 1000 characters is BAD_USER_INPUT.',
  })
  rateAnswer(
    @Arg('conversationId', () => ID) conversationId: string,
    @Arg('messageId', () => ID) messageId: string,
    @Arg('input', () => AnswerFeedbackInput) input: AnswerFeedbackInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AnswerFeedbackType> {
    return this.feedback.rateAnswer(ctx.em, requireVisitor(ctx), conversationId, messageId, input);
  }

  @Mutation(() => ConversationRatingType, {
    description:
      "The visitor's satisfaction with the conversation (visitor token): rating 1–5 (BAD_USER_INPUT otherwise) and an optional comment. " +
      'Rating again replaces the earlier rating.',
  })
  rateConversation(
    @Arg('conversationId', () => ID) conversationId: string,
    @Arg('input', () => ConversationRatingInput) input: ConversationRatingInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ConversationRatingType> {
    return this.feedback.rateConversation(ctx.em, requireVisitor(ctx), conversationId, input);
  }
}

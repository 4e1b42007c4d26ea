import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { ConnectionType } from '../../core/graphql/index.ts';

@ObjectType('AnswerFeedback', { description: "A visitor's 👍/👎 on one answer of the bot; one per answer, updated when they rate again." })
export class AnswerFeedbackType {
  @Field(() => ID) id!: string;
  @Field(() => ID) botId!: string;
  @Field(() => ID) conversationId!: string;
  @Field(() => ID, { description: 'The assistant message rated.' }) messageId!: string;
  @Field(() => Boolean, { description: 'true: 👍 (the answer helped); false: 👎.' }) helpful!: boolean;
  @Field(() => String, { nullable: true }) comment!: string | null;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
  @Field(() => GraphQLDateTimeISO) updatedAt!: Date;
}

@ObjectType('ConversationRating', { description: "A visitor's satisfaction with a conversation (CSAT, 1–5); one per conversation, updated when they rate again." })
export class ConversationRatingType {
  @Field(() => ID) id!: string;
  @Field(() => ID) botId!: string;
  @Field(() => ID) conversationId!: string;
  @Field(() => Int, { description: '1 (very unsatisfied) to 5 (very satisfied).' }) rating!: number;
  @Field(() => String, { nullable: true }) comment!: string | null;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
  @Field(() => GraphQLDateTimeISO) updatedAt!: Date;
}

@InputType('AnswerFeedbackInput')
export class AnswerFeedbackInput {
  @Field(() => Boolean, { description: 'true: 👍; false: 👎.' }) helpful!: boolean;
  @Field(() => String, { nullable: true, description: 'Up to 1000 characters; empty or left out: no comment (replaces an earlier one).' })
  comment?: string | null;
}

@InputType('ConversationRatingInput')
export class ConversationRatingInput {
  @Field(() => Int, { description: '1 to 5.' }) rating!: number;
  @Field(() => String, { nullable: true, description: 'Up to 1000 characters; empty or left out: no comment (replaces an earlier one).' })
  comment?: string | null;
}

export const AnswerFeedbackConnection = ConnectionType('AnswerFeedback', AnswerFeedbackType, { totalCount: true });
export const ConversationRatingConnection = ConnectionType('ConversationRating', ConversationRatingType, { totalCount: true });

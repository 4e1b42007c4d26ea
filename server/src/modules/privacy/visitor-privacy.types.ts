import { GraphQLDateTimeISO, GraphQLJSONObject } from 'graphql-scalars';
import { Field, InputType, Int, ObjectType } from 'type-graphql';

@InputType('VisitorSubjectInput', { description: 'One visitor: exactly one of visitorId and email.' })
export class VisitorSubjectInput {
  @Field(() => String, { nullable: true, description: "The widget's visitor id (8 to 64 letters, digits, _ or -)." }) visitorId?: string | null;
  @Field(() => String, { nullable: true, description: 'An email address the visitor left (leads); finds every conversation of that visitor.' })
  email?: string | null;
}

@ObjectType('VisitorDataExport', { description: 'Everything kept about one visitor.' })
export class VisitorDataExportType {
  @Field(() => GraphQLDateTimeISO) exportedAt!: Date;
  @Field(() => Int) conversationCount!: number;
  @Field(() => Int) messageCount!: number;
  @Field(() => Int) leadCount!: number;
  @Field(() => Int, { description: 'Answer ratings and conversation ratings.' }) feedbackCount!: number;
  @Field(() => GraphQLJSONObject, { description: '{ subject, exportedAt, conversations: [{ id, botId, visitorId, hostOrigin, startedAt, lastMessageAt, messages, lead, rating, answerFeedback }] }' })
  data!: Record<string, unknown>;
}

@ObjectType('VisitorErasure', { description: 'What eraseVisitorData deleted.' })
export class VisitorErasureType {
  @Field(() => Int) conversationCount!: number;
  @Field(() => Int) messageCount!: number;
  @Field(() => Int) leadCount!: number;
  @Field(() => Int) feedbackCount!: number;
}

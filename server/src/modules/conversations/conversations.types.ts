import { createUnionType, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';

export enum MessageRoleEnum {
  VISITOR = 'VISITOR',
  ASSISTANT = 'ASSISTANT',
}
registerEnumType(MessageRoleEnum, { name: 'MessageRole' });

@ObjectType('PublicBot', { description: 'What a visitor may know about the bot they talk to.' })
export class PublicBotType {
  @Field(() => String) name!: string;
  @Field(() => String) greeting!: string;
}

@ObjectType('VisitorSession')
export class VisitorSessionType {
  @Field(() => ID) conversationId!: string;
  @Field(() => String, { description: 'Bearer token for sendMessage and conversationEvents of this conversation only.' })
  visitorToken!: string;
  @Field(() => PublicBotType) bot!: PublicBotType;
}

@ObjectType('Source', { description: 'A knowledge passage an answer cites, as [marker] in its text.' })
export class SourceType {
  @Field(() => Int) marker!: number;
  @Field(() => String) documentTitle!: string;
  @Field(() => [String], { description: 'Headings leading to the passage, outermost first.' }) sectionPath!: string[];
  @Field(() => Int, { nullable: true, description: 'Page of the source document, for paged formats such as PDF.' }) page?: number | null;
  @Field(() => String) snippet!: string;
}

@ObjectType('Message')
export class MessageType {
  @Field(() => ID) id!: string;
  @Field(() => ID) conversationId!: string;
  @Field(() => MessageRoleEnum) role!: MessageRoleEnum;
  @Field(() => String) text!: string;
  @Field(() => GraphQLDateTimeISO) createdAt!: string;
  @Field(() => [SourceType]) sources!: SourceType[];
}

@ObjectType({ description: 'First event of every subscription: from here on no event of this conversation is missed.' })
export class ConversationSubscribed {
  @Field(() => Int) seq!: number;
  @Field(() => ID) conversationId!: string;
}

@ObjectType({ description: 'The assistant started composing a reply.' })
export class ReplyStarted {
  @Field(() => Int) seq!: number;
  @Field(() => ID) messageId!: string;
}

@ObjectType({ description: 'The next piece of the reply text, to append.' })
export class ReplyDelta {
  @Field(() => Int) seq!: number;
  @Field(() => ID) messageId!: string;
  @Field(() => String) delta!: string;
}

@ObjectType({ description: 'The reply as stored, with its sources.' })
export class ReplyCompleted {
  @Field(() => Int) seq!: number;
  @Field(() => MessageType) message!: MessageType;
}

@ObjectType({ description: 'The reply could not be produced; nothing was stored for it.' })
export class ReplyFailed {
  @Field(() => Int) seq!: number;
  @Field(() => ID) messageId!: string;
  @Field(() => String, { description: 'An error code such as QUOTA_EXCEEDED or INTERNAL_SERVER_ERROR.' }) code!: string;
  @Field(() => String, { description: 'What went wrong, fit to show the visitor.' }) reason!: string;
}

const eventTypes = { ConversationSubscribed, ReplyStarted, ReplyDelta, ReplyCompleted, ReplyFailed };

export const ConversationEventUnion = createUnionType({
  name: 'ConversationEvent',
  types: () => [ConversationSubscribed, ReplyStarted, ReplyDelta, ReplyCompleted, ReplyFailed] as const,
  // Events arrive as plain bus payloads discriminated by `type`, not as class instances.
  resolveType: (value) => eventTypes[(value as unknown as { type: keyof typeof eventTypes }).type],
});

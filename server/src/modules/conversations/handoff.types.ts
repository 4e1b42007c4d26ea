import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { ConversationStatusEnum, MessageType } from './conversations.types.ts';

export enum HandoffReasonEnum {
  VISITOR_REQUEST = 'VISITOR_REQUEST',
  BOT_UNSURE = 'BOT_UNSURE',
  AGENT_INITIATED = 'AGENT_INITIATED',
}
registerEnumType(HandoffReasonEnum, {
  name: 'HandoffReason',
  description: 'Why a person handles the conversation: the visitor asked, the knowledge had no answer, or an agent stepped in.',
});

export enum HandoffChangeEnum {
  WAITING = 'WAITING',
  TAKEN_OVER = 'TAKEN_OVER',
  HANDED_BACK = 'HANDED_BACK',
  VISITOR_MESSAGE = 'VISITOR_MESSAGE',
}
registerEnumType(HandoffChangeEnum, {
  name: 'HandoffChange',
  valuesConfig: {
    WAITING: { description: 'The conversation waits for a person (also sent for each waiting one when the subscription starts).' },
    TAKEN_OVER: { description: 'An agent took the conversation over.' },
    HANDED_BACK: { description: 'The conversation went back to the bot.' },
    VISITOR_MESSAGE: { description: 'The visitor wrote while people handle the conversation.' },
  },
});

@ObjectType('HandoffConversation', { description: 'A conversation as agents see it in the handoff queue.' })
export class HandoffConversationType {
  @Field(() => ID) id!: string;
  @Field(() => ID) botId!: string;
  @Field(() => ConversationStatusEnum) status!: ConversationStatusEnum;
  @Field(() => HandoffReasonEnum, { nullable: true }) reason!: HandoffReasonEnum | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'When the conversation started waiting for a person.' })
  waitingSince!: string | null;
  @Field(() => ID, { nullable: true, description: 'The member who holds the conversation (WITH_AGENT).' }) agentUserId!: string | null;
  @Field(() => String, { nullable: true, description: 'The name the visitor sees the agent as.' }) agentName!: string | null;
}

@ObjectType('HandoffQueueEvent')
export class HandoffQueueEventType {
  @Field(() => HandoffChangeEnum) change!: HandoffChangeEnum;
  @Field(() => HandoffConversationType) conversation!: HandoffConversationType;
  @Field(() => MessageType, { nullable: true, description: 'The visitor message behind the change, when there is one.' })
  visitorMessage!: MessageType | null;
}

@ObjectType('TakenOverConversation')
export class TakenOverConversationType {
  @Field(() => HandoffConversationType) conversation!: HandoffConversationType;
  @Field(() => [MessageType], { description: 'The latest messages (up to 50), oldest first.' }) history!: MessageType[];
}

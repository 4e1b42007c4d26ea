import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { ConversationStatusEnum, HandoffUnavailableReasonEnum, MessageType } from './conversations.types.ts';

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
  @Field(() => ID, { nullable: true, description: 'The member who holds the conversation (WITH_AGENT); null when an API key (an integration agent) holds it.' }) agentUserId!: string | null;
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

@ObjectType('VisitorHandoff', { description: "Where the visitor's wish for a person stands." })
export class VisitorHandoffType {
  @Field(() => ConversationStatusEnum, { description: 'WAITING_FOR_AGENT when a person was asked to join; BOT when none comes (see unavailable).' })
  status!: ConversationStatusEnum;
  @Field(() => HandoffUnavailableReasonEnum, { nullable: true, description: 'Why no person comes; null when one was asked to join (or nothing was asked).' })
  unavailable!: HandoffUnavailableReasonEnum | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'When people are back (the next opening of the business hours); null when unknown.' })
  nextOpeningAt!: string | null;
}

@ObjectType('BusinessHoursOpening', { description: 'One span of business hours within one local day.' })
export class BusinessHoursOpeningType {
  @Field(() => Int, { description: 'ISO weekday: 1 Monday … 7 Sunday.' }) day!: number;
  @Field(() => String, { description: 'HH:MM local time.' }) opens!: string;
  @Field(() => String, { description: 'HH:MM local time, after opens, up to 24:00.' }) closes!: string;
}

@InputType('BusinessHoursOpeningInput')
export class BusinessHoursOpeningInput {
  @Field(() => Int, { description: 'ISO weekday: 1 Monday … 7 Sunday.' }) day!: number;
  @Field(() => String, { description: 'HH:MM local time, 00:00–23:59.' }) opens!: string;
  @Field(() => String, { description: 'HH:MM local time, after opens, up to 24:00. A shift across midnight is two openings.' }) closes!: string;
}

@ObjectType('HandoffSettings', { description: "The tenant's business hours and how long a visitor waits for a person." })
export class HandoffSettingsType {
  @Field(() => String, { description: 'IANA time zone the hours and holidays are read in, such as Europe/Berlin.' }) timeZone!: string;
  @Field(() => [BusinessHoursOpeningType], { description: 'Empty: no business hours, always open (agent presence alone decides).' })
  weeklyHours!: BusinessHoursOpeningType[];
  @Field(() => [String], { description: 'Local dates (YYYY-MM-DD) closed all day.' }) holidays!: string[];
  @Field(() => Int, { description: 'A wait nobody takes within this many seconds falls back to the bot and the contact form.' })
  waitTimeoutSeconds!: number;
  @Field(() => Boolean, { description: 'Whether the hours are open now.' }) openNow!: boolean;
  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'Now while open, else the next opening; null without hours.' })
  nextOpeningAt!: string | null;
}

@InputType('HandoffSettingsInput')
export class HandoffSettingsInput {
  @Field(() => String, { description: 'IANA time zone, such as Europe/Berlin.' }) timeZone!: string;
  @Field(() => [BusinessHoursOpeningInput], { description: 'At most 70, not overlapping; empty for always open.' }) weeklyHours!: BusinessHoursOpeningInput[];
  @Field(() => [String], { description: 'Local dates (YYYY-MM-DD), at most 366.' }) holidays!: string[];
  @Field(() => Int, { description: '30 to 3600 seconds.' }) waitTimeoutSeconds!: number;
}

@ObjectType('HandoffAvailability', { description: 'Whether a visitor asking for a person now would get one.' })
export class HandoffAvailabilityType {
  @Field(() => Boolean, { description: 'The business hours are open now.' }) openNow!: boolean;
  @Field(() => [ID], { description: 'Members online as agents: their agent client holds the waitingConversations subscription (on any server instance); an integration holding it with an API key (conversations_handle) counts by the key id.' })
  onlineAgentIds!: string[];
  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'Now while open, else the next opening; null without hours.' })
  nextOpeningAt!: string | null;
}

import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { ConnectionType, OrderDirectionEnum } from '../../core/graphql/index.ts';
import { ConversationStatusEnum, HandoffUnavailableReasonEnum, MessageRoleEnum, MessageType, SourceType } from './conversations.types.ts';
import { ConversationRatingType } from './feedback.types.ts';
import { HandoffReasonEnum } from './handoff.types.ts';

@ObjectType('ConversationBot', { description: 'The bot a conversation is with.' })
export class ConversationBotType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
}

@ObjectType('ConversationAgent', { description: "Who holds a conversation taken over by people: a member, or a partner's integration (API key)." })
export class ConversationAgentType {
  @Field(() => ID, { nullable: true, description: 'The member holding it; null when an integration does.' }) userId!: string | null;
  @Field(() => ID, { nullable: true, description: "The API key of the partner's integration holding it; null when a member does." }) apiKeyId!: string | null;
  @Field(() => String, { description: 'The name the visitor sees the agent as.' }) name!: string;
}

@ObjectType('ConversationHandoff', { description: 'Where the conversation stands with people (see status for who answers now).' })
export class ConversationHandoffType {
  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'An unsure reply offered a person and the visitor has not answered yet.' })
  offeredAt!: Date | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'When a person was asked for (the wait started); null while the bot answers.' })
  requestedAt!: Date | null;
  @Field(() => HandoffReasonEnum, { nullable: true }) reason!: HandoffReasonEnum | null;
  @Field(() => Boolean, { description: 'An agent took the conversation over (status WITH_AGENT).' }) accepted!: boolean;
}

@ObjectType('Conversation', { description: "One visitor's chat with one bot, as members and partners read it." })
export class ConversationType {
  @Field(() => ID) id!: string;
  @Field(() => ConversationBotType) bot!: ConversationBotType;
  @Field(() => String, { nullable: true, description: 'The anonymous id the widget keeps per visitor and site.' }) visitorId!: string | null;
  @Field(() => ConversationStatusEnum) status!: ConversationStatusEnum;
  @Field(() => ConversationHandoffType) handoff!: ConversationHandoffType;
  @Field(() => ConversationAgentType, { nullable: true, description: 'The agent holding the conversation (WITH_AGENT); null otherwise.' })
  agent!: ConversationAgentType | null;
  @Field(() => String, { nullable: true, description: "The A/B variant of the bot the visitor was shown; null when the bot runs no experiment." })
  variantId!: string | null;
  @Field(() => String, { nullable: true, description: 'The host page origin that embedded the widget.' }) hostOrigin!: string | null;
  @Field(() => GraphQLDateTimeISO) startedAt!: Date;
  @Field(() => GraphQLDateTimeISO) lastMessageAt!: Date;
  @Field(() => Int, { description: 'Stored messages of the visitor, the bot and agents (SYSTEM notices are not counted).' }) messageCount!: number;
  @Field(() => Boolean, { description: 'The visitor left contact details or asked to be contacted (see lead).' }) hasLead!: boolean;
  // `lead` (leads:read) and `messages` are field resolvers (conversation-history.resolver.ts).
  @Field(() => ConversationRatingType, { nullable: true, description: "The visitor's rating of the conversation (CSAT); null when not rated." })
  rating!: ConversationRatingType | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'When an agent closed it (closeConversation); null while open. A new visitor message opens it again.' })
  closedAt!: Date | null;
}

@ObjectType('MessageUsage', { description: 'What producing an assistant reply used and cost, as stored with it.' })
export class MessageUsageType {
  @Field(() => String, { nullable: true, description: 'openai, anthropic, offline, cache, …' }) provider!: string | null;
  @Field(() => String, { nullable: true }) model!: string | null;
  @Field(() => Int, { nullable: true }) inputTokens!: number | null;
  @Field(() => Int, { nullable: true }) outputTokens!: number | null;
  @Field(() => Float, { nullable: true, description: 'AI provider cost in millionths of a US dollar (1/10,000 of a cent).' })
  costMicroUsd!: number | null;
  @Field(() => Boolean, { description: 'Answered from the answer cache: no provider was called.' }) cacheHit!: boolean;
  @Field(() => Int, { nullable: true, description: 'From the visitor message to the stored reply, in milliseconds.' }) latencyMs!: number | null;
  @Field(() => Int, { nullable: true }) timeToFirstTokenMs!: number | null;
}

export enum SystemNoticeKindEnum {
  HANDOFF_REQUESTED = 'HANDOFF_REQUESTED',
  AGENT_JOINED = 'AGENT_JOINED',
  HANDED_BACK = 'HANDED_BACK',
  HANDOFF_CANCELLED = 'HANDOFF_CANCELLED',
  HANDOFF_UNAVAILABLE = 'HANDOFF_UNAVAILABLE',
}
registerEnumType(SystemNoticeKindEnum, {
  name: 'SystemNoticeKind',
  description: 'What a SYSTEM message records.',
  valuesConfig: {
    HANDOFF_REQUESTED: { description: "The conversation joined the agents' queue: the visitor asked for a person, or accepted the offer of one." },
    AGENT_JOINED: { description: 'An agent took the conversation over (agentName).' },
    HANDED_BACK: { description: 'Back with the bot: the agent left (agentName; agentRemoved when their access ended), or a waiting request was dismissed (agentName null).' },
    HANDOFF_CANCELLED: { description: 'The visitor stopped waiting for a person.' },
    HANDOFF_UNAVAILABLE: { description: 'The visitor wanted a person and none came (unavailableReason, nextOpeningAt).' },
  },
});

@ObjectType('SystemNotice', { description: 'What a SYSTEM message records, machine-readable; its text says the same for people.' })
export class SystemNoticeType {
  @Field(() => SystemNoticeKindEnum) kind!: SystemNoticeKindEnum;
  @Field(() => String, { nullable: true, description: 'The agent who joined or left, as the visitor saw them.' }) agentName!: string | null;
  @Field(() => HandoffReasonEnum, { nullable: true, description: 'Why a person was asked for (HANDOFF_REQUESTED).' })
  handoffReason!: HandoffReasonEnum | null;
  @Field(() => HandoffUnavailableReasonEnum, { nullable: true, description: 'Why nobody came (HANDOFF_UNAVAILABLE).' })
  unavailableReason!: HandoffUnavailableReasonEnum | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'When people are back, if known (HANDOFF_UNAVAILABLE).' }) nextOpeningAt!: string | null;
  @Field(() => Boolean, { description: "HANDED_BACK because the agent's access ended: a revoked API key, a removed member, or one whose role no longer handles conversations." })
  agentRemoved!: boolean;
}

@ObjectType('ConversationMessage', { description: 'A stored message of a conversation with what members may know about it.' })
export class ConversationMessageType {
  @Field(() => ID) id!: string;
  @Field(() => MessageRoleEnum) role!: MessageRoleEnum;
  @Field(() => String) text!: string;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
  @Field(() => [SourceType], { description: 'The knowledge passages an assistant reply cites.' }) sources!: SourceType[];
  @Field(() => String, { nullable: true, description: 'The name an AGENT message is signed with.' }) authorName!: string | null;
  @Field(() => ID, { nullable: true, description: 'The member who wrote an AGENT message.' }) authorUserId!: string | null;
  @Field(() => SystemNoticeType, { nullable: true, description: 'SYSTEM messages only: what happened, machine-readable.' }) notice!: SystemNoticeType | null;
  @Field(() => MessageUsageType, { nullable: true, description: 'Assistant replies only.' }) usage!: MessageUsageType | null;
  @Field(() => Float, { nullable: true, description: '-1..1, as the avatar read it.' }) sentiment!: number | null;
}

export enum AnswerFeedbackFilterEnum {
  HELPFUL = 'HELPFUL',
  UNHELPFUL = 'UNHELPFUL',
}
registerEnumType(AnswerFeedbackFilterEnum, {
  name: 'AnswerFeedbackFilter',
  description: "The visitor's 👍/👎 on the bot's answers in a conversation.",
  valuesConfig: {
    HELPFUL: { description: 'Some answer got a 👍.' },
    UNHELPFUL: { description: 'Some answer got a 👎.' },
  },
});

export enum ConversationOrderFieldEnum {
  STARTED_AT = 'STARTED_AT',
  LAST_MESSAGE_AT = 'LAST_MESSAGE_AT',
}
registerEnumType(ConversationOrderFieldEnum, { name: 'ConversationOrderField' });

@InputType('ConversationOrder')
export class ConversationOrderInput {
  @Field(() => ConversationOrderFieldEnum) field!: ConversationOrderFieldEnum;
  @Field(() => OrderDirectionEnum) direction!: OrderDirectionEnum;
}

@InputType('ConversationFilter', { description: 'Every condition given must hold.' })
export class ConversationFilterInput {
  @Field(() => ID, { nullable: true }) botId?: string | null;
  @Field(() => ConversationStatusEnum, { nullable: true }) status?: ConversationStatusEnum | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'Started at or after this instant.' }) from?: Date | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'Started before this instant.' }) to?: Date | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'true: people were involved — the conversation waits for or is with a person now, or an agent joined or wrote in it; false: never.',
  })
  handedOff?: boolean | null;
  @Field(() => Boolean, { nullable: true }) hasLead?: boolean | null;
  @Field(() => String, { nullable: true, description: 'Text some message contains (case-insensitive), 2 to 200 characters.' }) search?: string | null;
  @Field(() => String, { nullable: true, description: "One visitor's conversations: the anonymous visitorId the widget keeps per visitor and site." }) visitorId?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'true: closed by an agent; false: open.' }) closed?: boolean | null;
  @Field(() => AnswerFeedbackFilterEnum, { nullable: true }) feedback?: AnswerFeedbackFilterEnum | null;
}

export const ConversationConnection = ConnectionType('Conversation', ConversationType, { totalCount: true });
export const ConversationMessageConnection = ConnectionType('ConversationMessage', ConversationMessageType);
export const MessageConnection = ConnectionType('Message', MessageType);

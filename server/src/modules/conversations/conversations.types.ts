import { createUnionType, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';

export enum MessageRoleEnum {
  VISITOR = 'VISITOR',
  ASSISTANT = 'ASSISTANT',
  /** A person of the bot's team who took the conversation over. */
  AGENT = 'AGENT',
  /** A notice of what happened to the conversation (handoff changes); listed only in Conversation.messages. */
  SYSTEM = 'SYSTEM',
}
registerEnumType(MessageRoleEnum, { name: 'MessageRole' });

export enum ConversationStatusEnum {
  BOT = 'BOT',
  WAITING_FOR_AGENT = 'WAITING_FOR_AGENT',
  WITH_AGENT = 'WITH_AGENT',
}
registerEnumType(ConversationStatusEnum, {
  name: 'ConversationStatus',
  description: 'Who answers the conversation: the bot, nobody yet (waiting for a person), or an agent.',
});

export enum HandoffUnavailableReasonEnum {
  CLOSED = 'CLOSED',
  NO_AGENT_ONLINE = 'NO_AGENT_ONLINE',
  TIMED_OUT = 'TIMED_OUT',
}
registerEnumType(HandoffUnavailableReasonEnum, {
  name: 'HandoffUnavailableReason',
  description: 'Why no person comes: outside business hours, no agent online, or nobody took the wait in time.',
});

@ObjectType('PublicTheme', { description: "The bot's branding as the widget applies it." })
export class PublicThemeType {
  @Field(() => String, { description: '#rrggbb' }) primaryColor!: string;
  @Field(() => String, { description: '#rrggbb' }) backgroundColor!: string;
  @Field(() => String, { description: '#rrggbb' }) textColor!: string;
  @Field(() => String, { description: 'system, inter, serif or rounded: fonts the widget ships, never a web font of the host.' })
  fontFamily!: string;
  @Field(() => String, { description: 'How the closed widget looks: avatar, bubble or icon.' }) launcher!: string;
  @Field(() => String, { description: "Light or dark chat panel: auto (follows the visitor's system), light or dark." })
  colorScheme!: string;
  @Field(() => Boolean, { description: 'Show "Powered by Mascot": false only when the bot asks for white label.' })
  showBranding!: boolean;
}

@ObjectType('AvatarSlotClip', { description: "Which clip of the avatar's model plays in one animation slot." })
export class AvatarSlotClipType {
  @Field(() => String, { description: 'One of the 20 animation slots (idle, listen, talk, greet_wave, …).' }) slot!: string;
  @Field(() => String, { nullable: true, description: 'Null: the model has no clip for the slot; the runtime picks a stand-in.' })
  clip!: string | null;
}

@ObjectType('PublicAvatar', { description: "The bot's 3D avatar." })
export class PublicAvatarType {
  @Field(() => String, { description: 'Same-origin path of the GLB, /assets/avatars/<sha256>.glb (built-in or uploaded); content-addressed, cacheable forever.' })
  modelUrl!: string;
  @Field(() => [AvatarSlotClipType], { description: 'Every animation slot, in catalogue order.' }) animationMap!: AvatarSlotClipType[];
}

@ObjectType('PublicBot', { description: 'What a visitor may know about the bot they talk to (the A/B variant they were given applied).' })
export class PublicBotType {
  @Field(() => String) name!: string;
  @Field(() => String) greeting!: string;
  @Field(() => String, { description: "The bot's BCP-47 language, such as en or de-CH." }) language!: string;
  @Field(() => PublicThemeType) theme!: PublicThemeType;
  @Field(() => PublicAvatarType, { nullable: true, description: 'Null when the bot has no avatar.' }) avatar!: PublicAvatarType | null;
  @Field(() => String, { nullable: true, description: 'The A/B variant shown to this visitor; null when the bot runs no experiment.' })
  variantId!: string | null;
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
  @Field(() => String, { nullable: true, description: 'The web page cited, for knowledge learnt from a website (addWebsiteSource).' }) url?: string | null;
}

@ObjectType('Message')
export class MessageType {
  @Field(() => ID) id!: string;
  @Field(() => ID) conversationId!: string;
  @Field(() => MessageRoleEnum) role!: MessageRoleEnum;
  @Field(() => String) text!: string;
  @Field(() => GraphQLDateTimeISO) createdAt!: string;
  @Field(() => [SourceType]) sources!: SourceType[];
  @Field(() => String, { nullable: true, description: 'The name an AGENT message is signed with; null for other roles.' })
  authorName!: string | null;
}

@ObjectType({ description: 'First event of every subscription: from here on no event of this conversation is missed.' })
export class ConversationSubscribed {
  @Field(() => Int, {
    description: 'The events continue after this seq: afterSeq when given (the replay follows), else the latest seq so far. Reconnect with the last seq you saw.',
  })
  seq!: number;
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
  @Field(() => Boolean, {
    description:
      'The reply offers the visitor a person (the bot was unsure and its team can follow up): show the offer; requestHandoff ' +
      'accepts it, declineHandoff declines it (so does a plain "yes" or "no thanks" as the next message). Always agrees with the text.',
  })
  requestsContact!: boolean;
}

@ObjectType({ description: 'The reply could not be produced; nothing was stored for it.' })
export class ReplyFailed {
  @Field(() => Int) seq!: number;
  @Field(() => ID) messageId!: string;
  @Field(() => String, { description: 'An error code such as QUOTA_EXCEEDED or INTERNAL_SERVER_ERROR.' }) code!: string;
  @Field(() => String, { description: 'What went wrong, fit to show the visitor.' }) reason!: string;
}

@ObjectType({ description: 'The conversation started waiting for a person (WAITING_FOR_AGENT), an agent joined (WITH_AGENT) or left (BOT).' })
export class HandoffStatusChanged {
  @Field(() => Int) seq!: number;
  @Field(() => ConversationStatusEnum) status!: ConversationStatusEnum;
  @Field(() => String, { nullable: true, description: 'The agent who joined (WITH_AGENT) or left (BOT).' }) agentName!: string | null;
}

@ObjectType({
  description:
    'The visitor wanted a person and none comes: outside business hours (CLOSED), nobody online (NO_AGENT_ONLINE) or nobody took ' +
    'the wait in time (TIMED_OUT). The bot answers on; a good moment for the contact form (submitContactDetails).',
})
export class HandoffUnavailable {
  @Field(() => Int) seq!: number;
  @Field(() => HandoffUnavailableReasonEnum, { description: 'Why (named apart from ReplyFailed.reason, a String, so one selection may ask for both).' })
  cause!: HandoffUnavailableReasonEnum;
  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'When people are back (the next opening of the business hours); null when unknown.' })
  nextOpeningAt!: string | null;
}

@ObjectType({ description: "A message outside the bot's replies: an agent's reply, or a visitor message while people handle the conversation." })
export class MessagePosted {
  @Field(() => Int) seq!: number;
  @Field(() => MessageType) message!: MessageType;
}

@ObjectType({ description: "The avatar's reaction: the animation slot to play now, chosen from the visitor's message and the reply." })
export class AvatarCue {
  @Field(() => Int) seq!: number;
  @Field(() => ID, { description: 'The reply the cue belongs to.' }) messageId!: string;
  @Field(() => String, {
    description: "listening (reacting to the visitor's message, before the first token), speaking (while the reply streams) or finished (after it).",
  })
  phase!: string;
  @Field(() => String, { description: 'One of the 20 animation slots (idle, listen, talk, greet_wave, shrug, …); play its fallback when the model lacks it.' })
  slot!: string;
  @Field(() => Float, { description: '0..1: how strongly to play it.' }) intensity!: number;
  @Field(() => String, { description: 'Why this slot, in plain words.' }) reason!: string;
  @Field(() => String, { description: "The visitor message's intent: greeting, thanks, goodbye, question, complaint, wants_human, gives_contact or other." })
  intent!: string;
  @Field(() => Float, { description: "-1..1: sentiment of the visitor's message (listening) or of the reply (speaking, finished)." })
  sentiment!: number;
}

const eventTypes = { ConversationSubscribed, AvatarCue, ReplyStarted, ReplyDelta, ReplyCompleted, ReplyFailed, HandoffStatusChanged, HandoffUnavailable, MessagePosted };

export const ConversationEventUnion = createUnionType({
  name: 'ConversationEvent',
  types: () => [ConversationSubscribed, AvatarCue, ReplyStarted, ReplyDelta, ReplyCompleted, ReplyFailed, HandoffStatusChanged, HandoffUnavailable, MessagePosted] as const,
  // Events arrive as plain bus payloads discriminated by `type`, not as class instances.
  resolveType: (value) => eventTypes[(value as unknown as { type: keyof typeof eventTypes }).type],
});

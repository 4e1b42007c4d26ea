import { GraphQLDateTimeISO, GraphQLJSON, GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../../core/graphql/index.ts';

export enum BotToneEnum {
  FRIENDLY = 'friendly',
  PROFESSIONAL = 'professional',
  PLAYFUL = 'playful',
  CONCISE = 'concise',
}
registerEnumType(BotToneEnum, { name: 'BotTone', description: 'The voice the bot answers in.' });

export enum BundleChangeKindEnum {
  ADDED = 'added',
  REMOVED = 'removed',
  CHANGED = 'changed',
}
registerEnumType(BundleChangeKindEnum, { name: 'BundleChangeKind' });

@InputType()
export class CreateBotInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: 'First message visitors see.' }) greeting?: string | null;
  @Field(() => BotToneEnum, { nullable: true }) tone?: BotToneEnum | null;
  @Field(() => String, { nullable: true }) systemPrompt?: string | null;
  @Field(() => [String], { nullable: true, description: 'Site origins allowed to embed the bot; empty allows any.' })
  allowedOrigins?: string[] | null;
}

@ObjectType('BotVersion')
export class BotVersionType {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: 'Publication number, starting at 1.' }) number!: number;
  @Field(() => GraphQLDateTimeISO) publishedAt!: Date;
  @Field(() => Int, { nullable: true, description: 'The version this one re-published (rollbackBot).' })
  rolledBackFrom?: number | null;
  @Field(() => String, { nullable: true, description: 'Content hash of the uploaded avatar frozen with it.' })
  avatarHash?: string | null;
  @Field(() => Int, { description: 'Knowledge documents this version answers from.' }) knowledgeDocumentCount!: number;
  @Field(() => GraphQLJSONObject, { description: 'The frozen bot bundle (current format).' }) config!: Record<string, unknown>;
}
export const BotVersionConnection = ConnectionType('BotVersion', BotVersionType, { totalCount: true });

export enum BotStatusEnum {
  ACTIVE = 'active',
  ARCHIVED = 'archived',
  DELETED = 'deleted',
}
registerEnumType(BotStatusEnum, {
  name: 'BotStatus',
  valuesConfig: {
    ACTIVE: { description: 'Answers visitors (once published).' },
    ARCHIVED: { description: 'Starts no conversations (BOT_ARCHIVED) until unarchiveBot; nothing is lost.' },
    DELETED: { description: 'Deleted: restoreBot undoes it until purgeAfter, when the bot and all its data are removed.' },
  },
});

@ObjectType('Bot')
export class BotType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'Public id used in the embed snippet: <script src=".../embed.js" data-bot="…">.' })
  embedId!: string;
  @Field(() => String, { description: "The draft's greeting." }) greeting!: string;
  @Field(() => BotToneEnum, { description: "The draft's tone." }) tone!: BotToneEnum;
  @Field(() => [String]) allowedOrigins!: string[];
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
  @Field(() => GraphQLJSONObject, { description: 'The draft bot bundle (see packages/bot-bundle); edit with updateBotDraft.' })
  draft!: Record<string, unknown>;
  @Field(() => Int, { description: 'Revision of the draft; pass it to updateBotDraft as expectedRevision.' })
  draftRevision!: number;
  @Field(() => BotStatusEnum) status!: BotStatusEnum;
  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'When archiveBot archived it.' }) archivedAt!: Date | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'When deleteBot deleted it.' }) deletedAt!: Date | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'When a deleted bot and all its data are purged; restoreBot works until then.' })
  purgeAfter!: Date | null;
  /** Resolved by BotsResolver from the live version id. */
  liveVersionId!: string | null;
}

export const BotConnection = ConnectionType('Bot', BotType, { totalCount: true });

@ObjectType('BundleChange', { description: 'One difference between two bundles, at a dotted path.' })
export class BundleChangeType {
  @Field(() => String, { description: 'e.g. personality.tone, providers.1.model, variants[summer].weight, allowedOrigins[https://a.example]' })
  path!: string;
  @Field(() => BundleChangeKindEnum) kind!: BundleChangeKindEnum;
  @Field(() => GraphQLJSON, { nullable: true }) before?: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) after?: unknown;
}

@ObjectType('BotVersionDiff')
export class BotVersionDiffType {
  @Field(() => BotVersionType) from!: BotVersionType;
  @Field(() => BotVersionType) to!: BotVersionType;
  @Field(() => [BundleChangeType]) changes!: BundleChangeType[];
  @Field(() => [ID], { description: 'Knowledge documents in `to` but not in `from`.' }) knowledgeAdded!: string[];
  @Field(() => [ID], { description: 'Knowledge documents in `from` but not in `to`.' }) knowledgeRemoved!: string[];
}

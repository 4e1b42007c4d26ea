import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { keysetRequest, mapNodes } from '../../core/db/index.ts';
import { PageArgs, requirePermission, type Connection, type GraphQLContext } from '../../core/graphql/index.ts';
import { readStoredBundle } from './bot-bundle-store.ts';
import type { BotVersion } from './bot-version.entity.ts';
import type { Bot } from './bot.entity.ts';
import type { BotsService } from './bots.service.ts';
import {
  BotConnection,
  BotVersionConnection,
  BotVersionDiffType,
  BotStatusEnum,
  BotType,
  BotVersionType,
  CreateBotInput,
  type BotToneEnum,
  type BundleChangeKindEnum,
} from './bots.types.ts';

@Resolver(() => BotType)
export class BotsResolver {
  constructor(private readonly botsService: BotsService) {}

  private toBotType(bot: Bot): BotType {
    return toBotType(bot);
  }

  @Query(() => BotConnection, { description: "The current tenant's bots, newest first: all but deleted ones, or those in `status`." })
  async bots(
    @Arg('status', () => BotStatusEnum, { nullable: true }) status: BotStatusEnum | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<BotType>> {
    const bots = await this.botsService.list(ctx.em, requirePermission(ctx, 'bots:read').tenantId, keysetRequest(page), status);
    return mapNodes(bots, (bot) => this.toBotType(bot));
  }

  @Query(() => BotType)
  async bot(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<BotType> {
    return this.toBotType(await this.botsService.getInTenant(ctx.em, requirePermission(ctx, 'bots:read').tenantId, id, 'id'));
  }

  @Mutation(() => BotType)
  async createBot(@Arg('input', () => CreateBotInput) input: CreateBotInput, @Ctx() ctx: GraphQLContext): Promise<BotType> {
    return this.toBotType(await this.botsService.create(ctx.em, requirePermission(ctx, 'bots:write').tenantId, input));
  }

  @Mutation(() => BotType, { description: 'Replaces the draft bundle; invalid bundles are refused with field errors (bundle.<path>).' })
  async updateBotDraft(
    @Arg('botId', () => ID) botId: string,
    @Arg('bundle', () => GraphQLJSONObject) bundle: Record<string, unknown>,
    @Arg('expectedRevision', () => Int, { nullable: true, description: 'Refuse with CONFLICT if the draft moved on since this revision.' })
    expectedRevision: number | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<BotType> {
    const tenantId = requirePermission(ctx, 'bots:write').tenantId;
    return this.toBotType(await this.botsService.updateDraft(ctx.em, tenantId, botId, bundle, expectedRevision));
  }

  @Mutation(() => BotVersionType, { description: 'Snapshots the draft, its avatar and the current knowledge as the new live version.' })
  async publishBot(@Arg('botId', () => ID) botId: string, @Ctx() ctx: GraphQLContext): Promise<BotVersionType> {
    return toVersionType(await this.botsService.publish(ctx.em, requirePermission(ctx, 'bots:publish'), botId, ctx.ip));
  }

  @Mutation(() => BotVersionType, { description: 'Makes an older version live again, as a new version number.' })
  async rollbackBot(
    @Arg('botId', () => ID) botId: string,
    @Arg('version', () => Int) version: number,
    @Ctx() ctx: GraphQLContext,
  ): Promise<BotVersionType> {
    return toVersionType(await this.botsService.rollback(ctx.em, requirePermission(ctx, 'bots:publish'), botId, version, ctx.ip));
  }

  @Query(() => BotVersionDiffType, { description: 'What changed between two published versions of a bot.' })
  async botVersionDiff(
    @Arg('botId', () => ID) botId: string,
    @Arg('from', () => Int) from: number,
    @Arg('to', () => Int) to: number,
    @Ctx() ctx: GraphQLContext,
  ): Promise<BotVersionDiffType> {
    const diff = await this.botsService.diff(ctx.em, requirePermission(ctx, 'bots:read').tenantId, botId, from, to);
    return {
      from: toVersionType(diff.from),
      to: toVersionType(diff.to),
      changes: diff.changes.map((c) => ({ ...c, kind: c.kind as BundleChangeKindEnum })),
      knowledgeAdded: diff.knowledgeAdded,
      knowledgeRemoved: diff.knowledgeRemoved,
    };
  }

  @Query(() => BotVersionConnection, { description: 'Published versions of a bot, newest first.' })
  async botVersions(
    @Arg('botId', () => ID) botId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<BotVersionType>> {
    const versions = await this.botsService.versions(ctx.em, requirePermission(ctx, 'bots:read').tenantId, botId, keysetRequest(page));
    return mapNodes(versions, toVersionType);
  }

  @FieldResolver(() => BotVersionType, { nullable: true, description: 'The version visitors currently see.' })
  async liveVersion(@Root() bot: BotType, @Ctx() ctx: GraphQLContext): Promise<BotVersionType | null> {
    if (!bot.liveVersionId) return null;
    const version = await this.botsService.findVersion(ctx.em, requirePermission(ctx, 'bots:read').tenantId, bot.liveVersionId);
    return version ? toVersionType(version) : null;
  }
}

/** The GraphQL view of a bot (also for the lifecycle mutations, bot-lifecycle.resolver.ts). */
export function toBotType(bot: Bot): BotType {
  const draft = readStoredBundle(bot.draft, bot.name);
  return {
    id: bot.id,
    name: bot.name,
    embedId: bot.embedId,
    greeting: draft.personality.greeting,
    tone: draft.personality.tone as BotToneEnum,
    allowedOrigins: draft.allowedOrigins,
    createdAt: bot.createdAt,
    draft,
    draftRevision: bot.draftRevision,
    status: bot.deletedAt ? BotStatusEnum.DELETED : bot.archivedAt ? BotStatusEnum.ARCHIVED : BotStatusEnum.ACTIVE,
    archivedAt: bot.archivedAt ?? null,
    deletedAt: bot.deletedAt ?? null,
    purgeAfter: bot.purgeAfter ?? null,
    liveVersionId: bot.liveVersionId ?? null,
  };
}

function toVersionType(version: BotVersion): BotVersionType {
  return {
    id: version.id,
    number: version.number,
    publishedAt: version.publishedAt,
    rolledBackFrom: version.rolledBackFrom ?? null,
    avatarHash: version.avatarHash ?? null,
    knowledgeDocumentCount: version.knowledgeDocumentIds.length,
    config: version.config as Record<string, unknown>,
  };
}

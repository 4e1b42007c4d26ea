import { Arg, Ctx, ID, Int, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { subjects } from '@mascot/events';
import type { MessageBus } from '../../core/bus/index.ts';
import { parseId } from '../../core/errors/index.ts';
import { requirePermission, whenIterationEnds, type GraphQLContext } from '../../core/graphql/index.ts';
import type { AnalyticsDay, AnalyticsService } from './analytics.service.ts';
import {
  AnalyticsDayType,
  AnalyticsReportType,
  ModelCostType,
  PlatformAnalyticsType,
  QuestionGroupType,
  UnansweredQuestionType,
} from './analytics.types.ts';

export interface AnalyticsResolverDeps {
  analytics: AnalyticsService;
  bus: MessageBus;
}

const RANGE = 'UTC days, YYYY-MM-DD, inclusive; at most 366 days.';

/** A factory like the other resolvers with subscriptions: type-graphql calls `subscribe` without the instance. */
export function createAnalyticsResolver(deps: AnalyticsResolverDeps) {
  const { analytics } = deps;

  @Resolver()
  class AnalyticsResolver {
    @Query(() => AnalyticsReportType, { description: `One bot's analytics per day and for the period (${RANGE}) — owners, admins, analysts and \`analytics\` API keys.` })
    botAnalytics(
      @Arg('botId', () => ID) botId: string,
      @Arg('from', () => String) from: string,
      @Arg('to', () => String) to: string,
      @Ctx() ctx: GraphQLContext,
    ): Promise<AnalyticsReportType> {
      return analytics.botReport(ctx.em, requirePermission(ctx, 'analytics:read').tenantId, botId, { from, to });
    }

    @Query(() => AnalyticsReportType, { description: `The tenant's analytics across its bots, per day and for the period (${RANGE})` })
    tenantAnalytics(@Arg('from', () => String) from: string, @Arg('to', () => String) to: string, @Ctx() ctx: GraphQLContext): Promise<AnalyticsReportType> {
      return analytics.tenantReport(ctx.em, requirePermission(ctx, 'analytics:read').tenantId, { from, to });
    }

    @Query(() => [ModelCostType], {
      description: `AI replies and their cost per provider and model (${RANGE}), for one bot or, without botId, the whole tenant; most expensive first.`,
    })
    costsByModel(
      @Arg('botId', () => ID, { nullable: true }) botId: string | null,
      @Arg('from', () => String) from: string,
      @Arg('to', () => String) to: string,
      @Ctx() ctx: GraphQLContext,
    ): Promise<ModelCostType[]> {
      return analytics.costsByModel(ctx.em, requirePermission(ctx, 'analytics:read').tenantId, botId, { from, to });
    }

    @Query(() => [QuestionGroupType], { description: `What visitors asked a bot in the period (${RANGE}), grouped by meaning, most asked first.` })
    topQuestions(
      @Arg('botId', () => ID) botId: string,
      @Arg('from', () => String) from: string,
      @Arg('to', () => String) to: string,
      @Arg('limit', () => Int, { defaultValue: 10, description: '1–50 groups.' }) limit: number,
      @Ctx() ctx: GraphQLContext,
    ): Promise<QuestionGroupType[]> {
      return analytics.topQuestions(ctx.em, requirePermission(ctx, 'analytics:read').tenantId, botId, { from, to }, limit);
    }

    @Query(() => [UnansweredQuestionType], {
      description: `Questions the bot found no relevant knowledge for in the period (${RANGE}), most often first: what to add to its knowledge.`,
    })
    unansweredQuestions(
      @Arg('botId', () => ID) botId: string,
      @Arg('from', () => String) from: string,
      @Arg('to', () => String) to: string,
      @Arg('first', () => Int, { defaultValue: 20, description: '1–100 questions.' }) first: number,
      @Ctx() ctx: GraphQLContext,
    ): Promise<UnansweredQuestionType[]> {
      return analytics.unansweredQuestions(ctx.em, requirePermission(ctx, 'analytics:read').tenantId, botId, { from, to }, first);
    }

    @Query(() => PlatformAnalyticsType, { description: `Totals of every tenant (${RANGE}) — platform admins only.` })
    platformAnalytics(@Arg('from', () => String) from: string, @Arg('to', () => String) to: string, @Ctx() ctx: GraphQLContext): Promise<PlatformAnalyticsType> {
      return analytics.platform(ctx.em, ctx.principal, { from, to });
    }

    @Subscription(() => AnalyticsDayType, {
      description: "A bot's figures for today (UTC): first as they are, then again whenever they change, on whichever server instance the change happened.",
      subscribe: ({ args, context }: SubscribeResolverData<unknown, Record<string, unknown>, GraphQLContext>) =>
        analyticsCounters(deps, context, String(args['botId'])),
    })
    analyticsCounters(@Arg('botId', () => ID) _botId: string, @Root() day: AnalyticsDayType): AnalyticsDayType {
      return day;
    }
  }
  return AnalyticsResolver;
}

function analyticsCounters(deps: AnalyticsResolverDeps, ctx: GraphQLContext, botId: string): AsyncIterableIterator<AnalyticsDay> {
  const stop = new AbortController();
  return whenIterationEnds(followCounters(deps, ctx, botId, stop.signal), () => stop.abort());
}

async function* followCounters(deps: AnalyticsResolverDeps, ctx: GraphQLContext, botId: string, stop: AbortSignal): AsyncGenerator<AnalyticsDay> {
  const { tenantId } = requirePermission(ctx, 'analytics:read');
  const id = parseId(botId, 'botId');
  // Listening starts before the figures are read for the first answer, so no change falls in between. The
  // subject is the caller's own tenant's; the first reading checks the bot, so a foreign or unknown bot ends
  // there with NOT_FOUND (and the listening with it).
  const subscription = await deps.bus.subscribe(subjects.botAnalytics(tenantId, id));
  // A client leaving ends the wait for the next notice at once (see whenIterationEnds).
  stop.addEventListener('abort', () => subscription.unsubscribe(), { once: true });
  if (stop.aborted) subscription.unsubscribe();
  try {
    let last = await deps.analytics.botToday(ctx.em, tenantId, id);
    yield last;
    // Notices carry no figures: each one means "read again", and a reading equal to the last is not sent.
    for await (const _notice of subscription) {
      const current = await deps.analytics.botToday(ctx.em, tenantId, id);
      if (JSON.stringify(current) === JSON.stringify(last)) continue;
      last = current;
      yield current;
    }
  } finally {
    subscription.unsubscribe();
  }
}

import { Arg, Ctx, ID, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { subjects } from '@mascot/events';
import type { MessageBus } from '../../core/bus/index.ts';
import { requirePermission, whenIterationEnds, type GraphQLContext } from '../../core/graphql/index.ts';
import type { BotsService } from '../bots/index.ts';
import { parseEmbeddingModelKey } from './embedding-model.ts';
import type { IngestionService } from './ingestion.service.ts';
import { EmbeddingModelInput, KnowledgeEmbeddingType, toKnowledgeEmbedding } from './embedding.types.ts';
import { IngestionEventType, IngestionJobType, KnowledgeUpload, KnowledgeUploadInput } from './ingestion.types.ts';

/**
 * Built by a factory because the subscription's `subscribe` runs without the resolver instance
 * (see conversations.resolver.ts); the services reach it by closure.
 */
export function createIngestionResolver(deps: { ingestion: IngestionService; bots: BotsService; bus: MessageBus; publicUrl: () => string }) {
  @Resolver()
  class IngestionResolver {
    @Mutation(() => KnowledgeUpload, { description: 'Starts a file upload into a bot\'s knowledge: returns a single-use URL to PUT the file to.' })
    async createKnowledgeUpload(
      @Arg('botId', () => ID) botId: string,
      @Arg('input', () => KnowledgeUploadInput) input: KnowledgeUploadInput,
      @Ctx() ctx: GraphQLContext,
    ): Promise<KnowledgeUpload> {
      const actor = requirePermission(ctx, 'knowledge:write');
      return deps.ingestion.createUpload(ctx.em, actor, botId, input, deps.publicUrl()) as Promise<KnowledgeUpload>;
    }

    @Query(() => IngestionJobType)
    ingestionJob(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<IngestionJobType> {
      return deps.ingestion.get(ctx.em, requirePermission(ctx, 'bots:read').tenantId, id) as Promise<IngestionJobType>;
    }

    @Mutation(() => IngestionJobType, { description: 'Cancels an unfinished ingestion; nothing of it is stored.' })
    cancelIngestion(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<IngestionJobType> {
      return deps.ingestion.cancel(ctx.em, requirePermission(ctx, 'knowledge:write').tenantId, id) as Promise<IngestionJobType>;
    }

    @Query(() => KnowledgeEmbeddingType, { description: "The embedding model of a bot's knowledge, and a change in progress." })
    async knowledgeEmbedding(@Arg('botId', () => ID) botId: string, @Ctx() ctx: GraphQLContext): Promise<KnowledgeEmbeddingType> {
      const state = await deps.ingestion.embeddingModels.state(ctx.em, requirePermission(ctx, 'bots:read').tenantId, botId);
      return toKnowledgeEmbedding(state, deps.ingestion.embeddingProviders());
    }

    @Mutation(() => KnowledgeEmbeddingType, {
      description: 'Switches the embedding model: the knowledge is re-embedded in the background (a reindex job on ingestionEvents) while the current vectors keep answering.',
    })
    async setKnowledgeEmbeddingModel(
      @Arg('botId', () => ID) botId: string,
      @Arg('input', () => EmbeddingModelInput) input: EmbeddingModelInput,
      @Ctx() ctx: GraphQLContext,
    ): Promise<KnowledgeEmbeddingType> {
      const state = await deps.ingestion.embeddingModels.change(ctx.em, requirePermission(ctx, 'knowledge:write'), botId, input);
      return toKnowledgeEmbedding(state, deps.ingestion.embeddingProviders());
    }

    @Mutation(() => KnowledgeEmbeddingType, { description: 'Re-embeds all of a bot\'s knowledge with its current model, in the background.' })
    async reindexKnowledge(@Arg('botId', () => ID) botId: string, @Ctx() ctx: GraphQLContext): Promise<KnowledgeEmbeddingType> {
      const actor = requirePermission(ctx, 'knowledge:write');
      const current = await deps.ingestion.embeddingModels.state(ctx.em, actor.tenantId, botId);
      const state = await deps.ingestion.embeddingModels.change(ctx.em, actor, botId, parseEmbeddingModelKey(current.settings.embeddingModel), true);
      return toKnowledgeEmbedding(state, deps.ingestion.embeddingProviders());
    }

    @Subscription(() => IngestionEventType, {
      description: "Progress of every ingestion job of a bot, from any server instance.",
      subscribe: ({ args, context }: SubscribeResolverData<unknown, Record<string, unknown>, GraphQLContext>) =>
        ingestionEvents(deps, context, String(args['botId'])),
    })
    ingestionEvents(@Arg('botId', () => ID) _botId: string, @Root() event: IngestionEventType): IngestionEventType {
      return event;
    }
  }
  return IngestionResolver;
}

function ingestionEvents(deps: { bots: BotsService; bus: MessageBus }, ctx: GraphQLContext, botId: string) {
  const stop = new AbortController();
  return whenIterationEnds(followIngestion(deps, ctx, botId, stop.signal), () => stop.abort());
}

async function* followIngestion(deps: { bots: BotsService; bus: MessageBus }, ctx: GraphQLContext, botId: string, stop: AbortSignal) {
  const { tenantId } = requirePermission(ctx, 'bots:read');
  const bot = await deps.bots.getInTenant(ctx.em, tenantId, botId);
  const subscription = await deps.bus.subscribe(subjects.knowledgeIngestion(tenantId, bot.id));
  // A client leaving ends the wait for the next event at once (see whenIterationEnds).
  stop.addEventListener('abort', () => subscription.unsubscribe(), { once: true });
  if (stop.aborted) subscription.unsubscribe();
  try {
    yield* subscription;
  } finally {
    subscription.unsubscribe();
  }
}

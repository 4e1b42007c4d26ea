import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { requirePermission, type GraphQLContext } from '../../core/graphql/index.ts';
import { knowledgeDocumentView } from './knowledge-listing.service.ts';
import type { KnowledgeService } from './knowledge.service.ts';
import {
  KnowledgeDocumentType,
  KnowledgePassageType,
  KnowledgeScopeEnum,
  KnowledgeTextInput,
  RetrievalModeEnum,
} from './knowledge.types.ts';

@Resolver()
export class KnowledgeResolver {
  constructor(private readonly knowledge: KnowledgeService) {}

  @Mutation(() => KnowledgeDocumentType, {
    description: "Adds a text document to the bot's knowledge; visitors see it after the next publishBot.",
  })
  async addKnowledgeText(
    @Arg('botId', () => ID) botId: string,
    @Arg('input', () => KnowledgeTextInput) input: KnowledgeTextInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<KnowledgeDocumentType> {
    return knowledgeDocumentView(await this.knowledge.addText(ctx.em, requirePermission(ctx, 'knowledge:write').tenantId, botId, input)) as KnowledgeDocumentType;
  }

  @Query(() => [KnowledgePassageType], { description: "Tests retrieval over a bot's knowledge, ranked as the bot would see it." })
  searchKnowledge(
    @Arg('botId', () => ID) botId: string,
    @Arg('query', () => String) query: string,
    @Arg('mode', () => RetrievalModeEnum, { defaultValue: RetrievalModeEnum.HYBRID }) mode: RetrievalModeEnum,
    @Arg('scope', () => KnowledgeScopeEnum, { defaultValue: KnowledgeScopeEnum.DRAFT }) scope: KnowledgeScopeEnum,
    @Arg('first', () => Int, { defaultValue: 5 }) first: number,
    @Ctx() ctx: GraphQLContext,
  ): Promise<KnowledgePassageType[]> {
    const tenantId = requirePermission(ctx, 'knowledge:write').tenantId;
    const limit = Math.min(Math.max(1, first), 50);
    return this.knowledge.search(ctx.em, tenantId, botId, query, { mode, limit, scope });
  }
}

import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { inTenant } from '../../core/db/index.ts';
import { requirePermission, type GraphQLContext } from '../../core/graphql/index.ts';
import { BotVersionDiffType } from '../bots/index.ts';
import { KnowledgeDocument } from './knowledge-document.entity.ts';
import { KnowledgeDocumentRefType } from './knowledge.types.ts';

/**
 * Names the knowledge documents of a version diff. Versions freeze document ids only (bots cannot read
 * knowledge: knowledge depends on bots), so the titles are resolved here, in the diff's tenant; a document
 * deleted since keeps its id and is marked deleted.
 */
@Resolver(() => BotVersionDiffType)
export class KnowledgeDocumentRefsResolver {
  @FieldResolver(() => [KnowledgeDocumentRefType], { description: 'The documents of knowledgeAdded, with their titles.' })
  knowledgeAddedDocuments(@Root() diff: BotVersionDiffType, @Ctx() ctx: GraphQLContext): Promise<KnowledgeDocumentRefType[]> {
    return documentRefs(ctx, diff.knowledgeAdded);
  }

  @FieldResolver(() => [KnowledgeDocumentRefType], { description: 'The documents of knowledgeRemoved, with their titles.' })
  knowledgeRemovedDocuments(@Root() diff: BotVersionDiffType, @Ctx() ctx: GraphQLContext): Promise<KnowledgeDocumentRefType[]> {
    return documentRefs(ctx, diff.knowledgeRemoved);
  }
}

async function documentRefs(ctx: GraphQLContext, ids: string[]): Promise<KnowledgeDocumentRefType[]> {
  if (ids.length === 0) return [];
  const { tenantId } = requirePermission(ctx, 'bots:read');
  const found = await inTenant(ctx.em, tenantId, (tx) => tx.find(KnowledgeDocument, { id: { $in: ids } }, { fields: ['id', 'title'] }));
  const titles = new Map(found.map((document) => [document.id, document.title]));
  return ids.map((id) => ({ id, title: titles.get(id) ?? null, deleted: !titles.has(id) }));
}

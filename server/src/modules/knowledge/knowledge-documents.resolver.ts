import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { requirePermission, type GraphQLContext } from '../../core/graphql/index.ts';
import type { AuditService } from '../audit/index.ts';
import { deleteKnowledgeDocument } from './knowledge-deletion.service.ts';
import { KnowledgeDocumentType } from './knowledge.types.ts';

@Resolver()
export class KnowledgeDocumentsResolver {
  constructor(private readonly audit: AuditService) {}

  @Mutation(() => KnowledgeDocumentType, {
    description:
      'Deletes a knowledge document and its passages; answers the document as it was. Published versions that include it stop citing it at once.',
  })
  deleteKnowledgeDocument(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<KnowledgeDocumentType> {
    return deleteKnowledgeDocument(ctx.em, this.audit, requirePermission(ctx, 'knowledge:write'), id, ctx.ip);
  }
}

import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { keysetRequest } from '../../core/db/index.ts';
import { PageArgs, requirePermission, type Connection, type GraphQLContext } from '../../core/graphql/index.ts';
import type { AuditService } from '../audit/index.ts';
import type { BotsService } from '../bots/index.ts';
import { deleteKnowledgeDocument } from './knowledge-deletion.service.ts';
import { listKnowledgeDocuments } from './knowledge-listing.service.ts';
import { KnowledgeDocumentConnection, KnowledgeDocumentType } from './knowledge.types.ts';

@Resolver()
export class KnowledgeDocumentsResolver {
  constructor(
    private readonly audit: AuditService,
    private readonly bots: BotsService,
  ) {}

  @Query(() => KnowledgeDocumentConnection, {
    description: "A bot's knowledge, newest first: stored documents, and files still being ingested or that failed (with the error).",
  })
  knowledgeDocuments(
    @Arg('botId', () => ID) botId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<KnowledgeDocumentType>> {
    return listKnowledgeDocuments(ctx.em, this.bots, requirePermission(ctx, 'bots:read').tenantId, botId, keysetRequest(page)) as Promise<
      Connection<KnowledgeDocumentType>
    >;
  }

  @Mutation(() => KnowledgeDocumentType, {
    description:
      'Deletes a knowledge document and its passages; answers the document as it was. Published versions that include it stop citing it at once. Given the id of a FAILED entry of knowledgeDocuments, removes that failed upload.',
  })
  deleteKnowledgeDocument(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<KnowledgeDocumentType> {
    return deleteKnowledgeDocument(ctx.em, this.audit, requirePermission(ctx, 'knowledge:write'), id, ctx.ip) as Promise<KnowledgeDocumentType>;
  }
}

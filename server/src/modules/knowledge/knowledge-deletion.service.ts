import type { EntityManager } from '@mikro-orm/postgresql';
import type { TenantActor } from '../../core/auth/index.ts';
import { inTenant } from '../../core/db/index.ts';
import { DomainError, parseId } from '../../core/errors/index.ts';
import type { AuditService } from '../audit/index.ts';
import { KnowledgeDocument } from './knowledge-document.entity.ts';

/**
 * Deletes a knowledge document and its passages (they cascade), in one tenant transaction.
 *
 * Deleted means gone, also for published versions that froze it: their `knowledgeDocumentIds`
 * keep the id, but retrieval finds nothing under it, so the live bot stops citing the document
 * at once. A designer deletes a document because it is wrong or must not be shown (a leaked price
 * list, personal data); keeping it answerable until the next publication would defeat that. Cached
 * answers of the bot are dropped too, since they may quote it. Audited: it changes what the live bot says.
 */
export async function deleteKnowledgeDocument(
  em: EntityManager,
  audit: AuditService,
  actor: TenantActor,
  documentId: string,
  ip?: string,
): Promise<KnowledgeDocument> {
  const id = parseId(documentId, 'id');
  return inTenant(em, actor.tenantId, async (tx) => {
    const document = await tx.findOne(KnowledgeDocument, { id });
    if (!document) throw DomainError.notFound('Knowledge document');
    await tx.nativeDelete(KnowledgeDocument, { id });
    await tx.execute('delete from answer_cache where bot_id = ?', [document.botId]);
    audit.record(tx, actor.tenantId, {
      action: 'knowledge.deleted',
      actor,
      target: { type: 'knowledge_document', id },
      ip,
      metadata: { botId: document.botId, title: document.title },
    });
    await tx.flush();
    return document;
  });
}

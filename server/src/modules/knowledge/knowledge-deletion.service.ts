import type { EntityManager } from '@mikro-orm/postgresql';
import type { TenantActor } from '../../core/auth/index.ts';
import { inTenant } from '../../core/db/index.ts';
import { DomainError, parseId } from '../../core/errors/index.ts';
import type { AuditService } from '../audit/index.ts';
import { IngestionJob } from './ingestion-job.entity.ts';
import { KnowledgeDocument } from './knowledge-document.entity.ts';
import { failedUploadView, knowledgeDocumentView, type KnowledgeDocumentView } from './knowledge-listing.service.ts';

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
): Promise<KnowledgeDocumentView> {
  const id = parseId(documentId, 'id');
  return inTenant(em, actor.tenantId, async (tx) => {
    const document = await tx.findOne(KnowledgeDocument, { id });
    if (!document) return dismissUpload(tx, audit, actor, id, ip);
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
    return knowledgeDocumentView(document);
  });
}

/**
 * knowledgeDocuments lists failed uploads under their job's id so partners see why a file is missing;
 * deleting that id removes the failed job, and with it the entry. An upload still on its way is cancelled
 * with cancelIngestion instead (CONFLICT here): deleting it under the running job would lose its progress.
 */
async function dismissUpload(tx: EntityManager, audit: AuditService, actor: TenantActor, id: string, ip?: string): Promise<KnowledgeDocumentView> {
  const job = await tx.findOne(IngestionJob, { id, kind: 'file', documentId: null, status: { $nin: ['succeeded', 'cancelled'] } });
  if (!job) throw DomainError.notFound('Knowledge document');
  if (job.status !== 'failed') throw DomainError.conflict('The file is still being ingested; stop it with cancelIngestion.');
  const dismissed = failedUploadView(job);
  await tx.nativeDelete(IngestionJob, { id });
  audit.record(tx, actor.tenantId, {
    action: 'knowledge.deleted',
    actor,
    target: { type: 'ingestion_job', id },
    ip,
    metadata: { botId: job.botId, title: dismissed.title },
  });
  await tx.flush();
  return dismissed;
}

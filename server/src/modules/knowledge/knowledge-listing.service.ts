import type { EntityManager } from '@mikro-orm/postgresql';
import { NEWEST_FIRST, inTenant, keysetSql, lazily, toKeysetPage, type KeysetRequest, type Page } from '../../core/db/index.ts';
import { parseId } from '../../core/errors/index.ts';
import type { BotsService } from '../bots/index.ts';
import type { IngestionJob } from './ingestion-job.entity.ts';
import type { KnowledgeDocument } from './knowledge-document.entity.ts';

export type KnowledgeDocumentStatus = 'ingesting' | 'ready' | 'failed';
export type KnowledgeSourceKind = 'text' | 'file' | 'url';

/** One entry of a bot's knowledge as partners list it: a stored document, or a file still on its way or failed. */
export interface KnowledgeDocumentView {
  id: string;
  title: string;
  status: KnowledgeDocumentStatus;
  error: { code: string; message: string } | null;
  source: { kind: KnowledgeSourceKind; fileName: string | null; format: string | null; url: string | null };
  sizeBytes: number;
  chunkCount: number;
  ingestionJobId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A stored document's source. Uploads record their format as `source_type` (a .txt upload says `text`
 * too), so an upload is recognised by its file name; addKnowledgeText documents have none.
 */
function sourceOf(sourceType: string | null, fileName: string | null, url: string | null = null): KnowledgeDocumentView['source'] {
  const kind: KnowledgeSourceKind = fileName ? 'file' : sourceType === 'url' ? 'url' : sourceType === 'text' || sourceType === null ? 'text' : 'file';
  return { kind, fileName, format: kind === 'text' ? null : sourceType, url };
}

/** The view of a document just stored or deleted (addKnowledgeText, deleteKnowledgeDocument). */
export function knowledgeDocumentView(document: KnowledgeDocument): KnowledgeDocumentView {
  return {
    id: document.id,
    title: document.title,
    status: 'ready',
    error: null,
    source: sourceOf(document.sourceType, null, document.sourceUrl ?? null),
    sizeBytes: document.sizeBytes,
    chunkCount: document.chunkCount,
    ingestionJobId: null,
    createdAt: document.createdAt,
    // Documents never change once stored (a new text is a new document).
    updatedAt: document.createdAt,
  };
}

const UNTITLED = 'Untitled document';

/** The view of a failed upload (deleteKnowledgeDocument dismissing it), as knowledgeDocuments lists it. */
export function failedUploadView(job: IngestionJob): KnowledgeDocumentView {
  return toView({
    id: job.id, is_job: true, position: job.createdAt, updated_at: job.updatedAt,
    title: job.title ?? job.fileName ?? UNTITLED, source_type: job.format ?? null, file_name: job.fileName ?? null,
    job_status: job.status, error_code: job.errorCode ?? null, error_message: job.errorMessage ?? null,
    size_bytes: job.byteSize ?? job.maxBytes, chunk_count: 0, ingestion_job_id: job.id,
  });
}

interface EntryRow {
  id: string;
  is_job: boolean;
  /** created_at to the millisecond: the keyset position. */
  position: Date | string;
  updated_at: Date | string;
  title: string;
  source_type: string | null;
  file_name: string | null;
  /** The web page of a website source's document. */
  source_url?: string | null;
  job_status: string | null;
  error_code: string | null;
  error_message: string | null;
  size_bytes: number | null;
  chunk_count: number;
  ingestion_job_id: string | null;
}

/**
 * File jobs that have no document (yet): uploads under way (their URL still valid), queued, running and failed
 * ones. Succeeded jobs are their document; cancelled ones and uploads never made left nothing.
 */
const PENDING_JOBS = `(status in ('queued', 'running', 'failed') or (status = 'awaiting_upload' and expires_at > now()))`;

/**
 * A bot's entries: its stored documents and the files not (yet) stored, with their keyset position. Named
 * `tenant_id` as well as enforced by row-level security: both layers scope these raw queries. Curated
 * answers are knowledge documents too (so versions pin them) but have a list of their own (curatedAnswers).
 */
const ENTRIES = `entries as (
  select id, false as is_job, date_trunc('milliseconds', created_at) as position
    from knowledge_document where tenant_id = ? and bot_id = ? and source_type <> 'curated'
  union all
  select id, true, date_trunc('milliseconds', created_at)
    from ingestion_job where tenant_id = ? and bot_id = ? and kind = 'file' and ${PENDING_JOBS}
)`;

/**
 * One page of a bot's knowledge, newest first: stored documents and the files not (yet) stored, merged in
 * one keyset order. Ordered and paged by the millisecond (what a cursor holds), so a cursor never skips or
 * repeats a row whose time has finer digits. The page is chosen from ids and times alone, then its few rows
 * are completed (the upload a document came from, job details). totalCount counts the same entries.
 */
export async function listKnowledgeDocuments(
  em: EntityManager,
  bots: BotsService,
  tenantId: string,
  botId: string,
  page: KeysetRequest,
): Promise<Page<KnowledgeDocumentView>> {
  const id = parseId(botId, 'botId');
  const entries = [tenantId, id, tenantId, id];
  const listed = await inTenant(em, tenantId, async (tx) => {
    await bots.get(tx, id);
    const keyset = keysetSql(page, NEWEST_FIRST, { time: 'position', id: 'id' });
    const rows = await tx.execute<EntryRow[]>(
      `with ${ENTRIES}, chosen as (
         select * from entries where ${keyset.where} order by ${keyset.orderBy} limit ?
       )
       select e.id, e.is_job, e.position,
              case when e.is_job then j.updated_at else d.created_at end as updated_at,
              coalesce(d.title, j.title, j.file_name, ?) as title,
              coalesce(d.source_type, j.format) as source_type, d.source_url,
              coalesce(j.file_name, f.file_name) as file_name,
              j.status as job_status, j.error_code, j.error_message,
              coalesce(d.size_bytes, j.byte_size, j.max_bytes) as size_bytes,
              coalesce(d.chunk_count, 0) as chunk_count,
              coalesce(j.id, f.id) as ingestion_job_id
         from chosen e
         left join knowledge_document d on not e.is_job and d.id = e.id
         left join ingestion_job j on e.is_job and j.id = e.id
         left join lateral (
           select u.id, u.file_name from ingestion_job u
            where not e.is_job and u.tenant_id = ? and u.bot_id = ? and u.document_id = e.id and u.kind = 'file'
            order by u.created_at limit 1
         ) f on true
        order by ${keysetSql(page, NEWEST_FIRST, { time: 'e.position', id: 'e.id' }).orderBy}`,
      [...entries, ...keyset.params, keyset.limit, UNTITLED, tenantId, id],
    );
    return toKeysetPage(rows, page, (row) => ({ createdAt: new Date(row.position), id: row.id }), toView);
  });
  const count = async () => {
    const [row] = await inTenant(em, tenantId, (tx) => tx.execute<{ count: string }[]>(`with ${ENTRIES} select count(*) from entries`, entries));
    return Number(row!.count);
  };
  return { ...listed, totalCount: lazily(count) };
}

function toView(row: EntryRow): KnowledgeDocumentView {
  const status: KnowledgeDocumentStatus = !row.is_job ? 'ready' : row.job_status === 'failed' ? 'failed' : 'ingesting';
  return {
    id: row.id,
    title: row.title,
    status,
    error: status === 'failed' ? { code: row.error_code ?? 'INTERNAL_SERVER_ERROR', message: row.error_message ?? 'Processing failed.' } : null,
    source: sourceOf(row.source_type, row.file_name, row.source_url ?? null),
    sizeBytes: row.size_bytes ?? 0,
    chunkCount: row.chunk_count,
    ingestionJobId: row.ingestion_job_id,
    createdAt: new Date(row.position),
    updatedAt: new Date(row.updated_at),
  };
}

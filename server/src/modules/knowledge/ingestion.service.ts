import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { ErrorCode } from '@mascot/contracts';
import { ParseError, detectFormat, type DocumentChunk, type SourceFormat } from '@mascot/knowledge-core';
import { subjects } from '@mascot/events';
import type { TenantActor } from '../../core/auth/index.ts';
import type { MessageBus } from '../../core/bus/index.ts';
import { inTenant } from '../../core/db/index.ts';
import { DomainError, parseId, parseInput } from '../../core/errors/index.ts';
import type { UploadGrant, UploadSigner } from '../../core/http/index.ts';
import type { JobQueue } from '../../core/jobs/index.ts';
import type { Logger } from '../../core/logging/index.ts';
import { tenantScope, type BlobStore } from '../../core/storage/index.ts';
import type { BotsService } from '../bots/index.ts';
import { EmbeddingError, type Embedder } from './embedding-providers.ts';
import { EmbeddingReindexer } from './embedding-reindex.service.ts';
import { FileParseFailure, parseUntrustedFile, type FileParsingLimits, type ParsedFile } from './file-parsing.ts';
import { IngestionJob } from './ingestion-job.entity.ts';
import { chunkEmbeddingText, type KnowledgeService } from './knowledge.service.ts';

export const INGESTION_QUEUE = 'knowledge-ingestion';
/** Uploaded files are capped before parsing; plans cap what is stored. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
const UPLOAD_TTL_MS = 10 * 60 * 1000;
/** Chunks are embedded in batches; progress is reported (and cancellation checked) after each. */
const EMBED_BATCH = 64;
/** A stored upload the queue refused (bus outage) is handed to it again after this, doubling up to the maximum. */
const REQUEUE_FIRST_MS = 1_000;
const REQUEUE_MAX_MS = 30_000;
/** Uploaded files wait for processing in the shared blob store (core/storage), tenant-scoped, under this namespace. */
export const KNOWLEDGE_UPLOAD_NAMESPACE = 'knowledge-uploads';

const csvOptionsSchema = z.object({
  mode: z.enum(['qa', 'records']),
  questionColumn: z.string().max(200).optional(),
  answerColumn: z.string().max(200).optional(),
  titleColumn: z.string().max(200).optional(),
  columns: z.array(z.string().max(200)).max(100).optional(),
  delimiter: z.string().length(1).optional(),
});
const uploadSchema = z.object({
  fileName: z.string().trim().min(1, 'must not be empty').max(255),
  byteSize: z.number().int().min(1, 'must be at least 1').max(MAX_UPLOAD_BYTES, `must be at most ${MAX_UPLOAD_BYTES} bytes`),
  title: z.string().trim().min(1).max(200).optional().nullable(),
  csv: csvOptionsSchema.optional().nullable(),
});

/** The shape of one ingestion event on the bus and in the `ingestionEvents` subscription. */
export interface IngestionEvent {
  jobId: string;
  botId: string;
  status: IngestionJob['status'];
  progress: number;
  chunksDone: number;
  chunksTotal: number | null;
  documentId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** Website syncs (website-sources/): the source synced, and the page an error is about. */
  websiteSourceId?: string | null;
  pageUrl?: string | null;
}

export function toIngestionEvent(job: IngestionJob): IngestionEvent {
  return {
    jobId: job.id,
    botId: job.botId,
    status: job.status,
    progress: job.progress,
    chunksDone: job.chunksDone,
    chunksTotal: job.chunksTotal ?? null,
    documentId: job.documentId ?? null,
    errorCode: job.errorCode ?? null,
    errorMessage: job.errorMessage ?? null,
  };
}

/** A job failure the user can act on: stored on the job, shown in progress events, never retried. */
class IngestionFailure extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/**
 * Files into knowledge, as durable jobs. The job row holds the state, the shared blob store (core/storage,
 * tenant-scoped) the uploaded file until it is processed; the queue carries only job ids. Processing is idempotent: a job already
 * finished is skipped, and the document with its chunks is written in one transaction at the end, so
 * a crash at any point leaves either nothing or everything, and the redelivered job starts over.
 */
export class IngestionService {
  /** Embedding model changes run as 'reindex' jobs of this queue, with the same progress events. */
  readonly embeddingModels: EmbeddingReindexer;
  /** Uploads stored (status `queued`) that the queue did not take yet, by job id → tenant id; retried until it does. */
  private readonly unqueued = new Map<string, string>();
  private requeueTimer: NodeJS.Timeout | undefined;
  private requeueDelayMs = REQUEUE_FIRST_MS;
  private closed = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly bots: BotsService,
    private readonly knowledge: KnowledgeService,
    private readonly queue: Pick<JobQueue, 'enqueue'>,
    private readonly bus: MessageBus,
    private readonly signer: UploadSigner,
    private readonly logger: Logger,
    private readonly fileLimits: FileParsingLimits,
    /** Where uploads wait until processed, seen by every instance (the queue may hand the job to another). */
    private readonly files: BlobStore,
  ) {
    this.embeddingModels = new EmbeddingReindexer(
      orm,
      bots,
      knowledge.embeddings,
      (job) => this.queue.enqueue(INGESTION_QUEUE, { tenantId: job.tenantId, jobId: job.id }, { dedupeId: job.id }),
      (job) => this.publish(job),
    );
  }

  /** Step 1: a job awaiting its file, and the signed URL to PUT the file to. */
  async createUpload(em: EntityManager, actor: TenantActor, botId: string, input: z.input<typeof uploadSchema>, baseUrl: string) {
    const data = parseInput(uploadSchema, input);
    const expiresAt = new Date(Date.now() + UPLOAD_TTL_MS);
    const job = await inTenant(em, actor.tenantId, async (tx) => {
      const bot = await this.bots.get(tx, botId);
      const created = tx.create(IngestionJob, {
        id: randomUUID(), tenantId: actor.tenantId, botId: bot.id, kind: 'file', status: 'awaiting_upload',
        title: data.title ?? null, fileName: data.fileName, format: null, maxBytes: data.byteSize, byteSize: null,
        contentHash: null, fileBytes: null, options: data.csv ? { csv: data.csv } : {}, documentId: null, progress: 0,
        chunksTotal: null, chunksDone: 0, rowErrors: [], warnings: [], errorCode: null, errorMessage: null, attempts: 0,
        createdBy: actor.kind === 'user' ? actor.userId : null, expiresAt, finishedAt: null,
      });
      await tx.flush();
      return created;
    });
    const query = this.signer.query({ tenantId: actor.tenantId, uploadId: job.id, expiresAt, maxBytes: data.byteSize });
    return { job, uploadUrl: `${baseUrl}/uploads/knowledge/${job.id}?${query}`, expiresAt };
  }

  /**
   * Step 2 (the PUT): stores the file on the job and queues it. Single use: a job takes one file.
   *
   * The job row (file and status `queued`, committed first) is the durable record; the queue only carries its
   * id. When the queue cannot take it (the bus is down: issue 15, finding 7) the upload still succeeds: the job
   * is handed to the queue again until it takes it (`requeue`), and a restart in between resumes it
   * (`resumeUnfinished`). The same dedupe id makes a hand-off the bus delivered late count once.
   */
  async receiveUpload(grant: UploadGrant, bytes: Uint8Array): Promise<IngestionJob> {
    if (grant.expiresAt.getTime() < Date.now()) throw DomainError.forbidden('The upload URL has expired.');
    const awaitingUpload = async (tx: EntityManager) => {
      const found = await tx.findOne(IngestionJob, { id: grant.uploadId, status: 'awaiting_upload' });
      if (!found) throw DomainError.conflict('This upload URL has already been used.');
      const format = detectFormat(found.fileName ?? '', bytes);
      if (!format) throw DomainError.invalidInput([{ field: 'file', message: 'is not a supported format (PDF, DOCX, Markdown, HTML, text, CSV)' }]);
      return { found, format };
    };
    // Checked before the file is stored (nothing stored for a used URL or a refused format), and again
    // when the job takes it. The store is written outside the job's transaction: embedded PGlite runs
    // one transaction at a time, and an S3 write is no part of one anyway.
    await inTenant(this.orm.em.fork(), grant.tenantId, awaitingUpload);
    const { sha256 } = await this.files.put(tenantScope(grant.tenantId), KNOWLEDGE_UPLOAD_NAMESPACE, bytes);
    const job = await inTenant(this.orm.em.fork(), grant.tenantId, async (tx) => {
      const { found, format } = await awaitingUpload(tx);
      found.format = format;
      found.byteSize = bytes.byteLength;
      found.contentHash = sha256;
      found.status = 'queued';
      found.expiresAt = null;
      await tx.flush();
      return found;
    });
    try {
      await this.queue.enqueue(INGESTION_QUEUE, { tenantId: job.tenantId, jobId: job.id }, { dedupeId: job.id });
    } catch (error) {
      this.logger.warn({ err: error, jobId: job.id }, 'the job queue refused a stored upload; handing it over again until it takes it');
      this.unqueued.set(job.id, job.tenantId);
      this.scheduleRequeue();
    }
    // A progress event is a notice, not the record: a bus outage must not fail an upload that is stored.
    await this.publish(job).catch((error: unknown) => this.logger.warn({ err: error, jobId: job.id }, 'could not announce a queued upload'));
    return job;
  }

  /** Stops handing stored uploads to the queue (shutdown); the next start resumes them. */
  close(): void {
    this.closed = true;
    clearTimeout(this.requeueTimer);
    this.requeueTimer = undefined;
  }

  private scheduleRequeue(): void {
    if (this.closed) return;
    this.requeueTimer ??= setTimeout(() => void this.requeue(), this.requeueDelayMs);
    this.requeueTimer.unref();
  }

  /** Hands the uploads the queue refused to it again; what it still refuses waits twice as long (up to 30 s). */
  private async requeue(): Promise<void> {
    for (const [jobId, tenantId] of this.unqueued) {
      try {
        await this.queue.enqueue(INGESTION_QUEUE, { tenantId, jobId }, { dedupeId: jobId });
        this.unqueued.delete(jobId);
        this.logger.info({ jobId }, 'handed a stored upload to the job queue');
      } catch (error) {
        this.logger.debug({ err: error, jobId }, 'the job queue still refuses a stored upload');
        break;
      }
    }
    this.requeueTimer = undefined;
    this.requeueDelayMs = this.unqueued.size > 0 ? Math.min(this.requeueDelayMs * 2, REQUEUE_MAX_MS) : REQUEUE_FIRST_MS;
    if (this.unqueued.size > 0) this.scheduleRequeue();
  }

  embeddingProviders(): string[] {
    return this.knowledge.embeddings.available();
  }

  async get(em: EntityManager, tenantId: string, jobId: string): Promise<IngestionJob> {
    return inTenant(em, tenantId, async (tx) => {
      const job = await tx.findOne(IngestionJob, { id: parseId(jobId, 'jobId') });
      if (!job) throw DomainError.notFound('Ingestion job');
      return job;
    });
  }

  /** Stops a job that has not finished; a running job stops at its next batch boundary. */
  async cancel(em: EntityManager, tenantId: string, jobId: string): Promise<IngestionJob> {
    const job = await inTenant(em, tenantId, async (tx) => {
      const found = await tx.findOne(IngestionJob, { id: parseId(jobId, 'jobId') });
      if (!found) throw DomainError.notFound('Ingestion job');
      if (['succeeded', 'failed', 'cancelled'].includes(found.status)) return found;
      found.status = 'cancelled';
      found.fileBytes = null;
      found.finishedAt = new Date();
      await tx.flush();
      if (found.kind === 'reindex') await this.embeddingModels.abandon(tx, found);
      return found;
    });
    await this.releaseUpload(job);
    await this.publish(job);
    return job;
  }

  /** Queue consumer: processes one job. Safe to call twice for the same job (at-least-once delivery). */
  async process(payload: unknown): Promise<void> {
    const { tenantId, jobId } = z.object({ tenantId: z.uuid(), jobId: z.uuid() }).parse(payload);
    const em = this.orm.em.fork();
    const job = await inTenant(em, tenantId, async (tx) => {
      const found = await tx.findOne(IngestionJob, { id: jobId }, { populate: ['fileBytes'] });
      if (!found || !['queued', 'running'].includes(found.status)) return null;
      found.status = 'running';
      found.attempts += 1;
      await tx.flush();
      return found;
    });
    if (!job) return;
    await this.publish(job);
    try {
      if (job.kind === 'reindex') {
        const outcome = await this.embeddingModels.run(job, (done, total) => this.recordProgress(em, job, done, total).then((row) => row.status === 'cancelled'));
        if (outcome === 'succeeded') await this.finish(em, job, { status: 'succeeded' });
        return;
      }
      const { title, chunks, rowErrors, warnings, textBytes } = await this.parse(job);
      if (chunks.length === 0) throw new IngestionFailure('EMPTY', 'The file has no text to learn from.');
      const stored = await this.knowledge.embedAndStore(em, tenantId, job.botId, {
        title: job.title ?? title ?? job.fileName ?? 'Untitled document',
        sourceType: job.format ?? 'text',
        contentHash: job.contentHash ?? '',
        // The plan counts the text stored, not the upload: a 35 KB DOCX can hold megabytes of text.
        sizeBytes: textBytes,
        chunks,
      }, (embedder, all) => this.embedWithProgress(em, job, all, embedder));
      if (!stored) return; // cancelled meanwhile
      await this.finish(em, job, { status: 'succeeded', documentId: stored.id, rowErrors, warnings });
    } catch (error) {
      if (error instanceof FileParseFailure) this.logger.warn({ err: error, jobId }, 'ingestion: a file parse was stopped by its limits');
      if (
        error instanceof IngestionFailure || error instanceof DomainError || error instanceof ParseError ||
        error instanceof EmbeddingError || error instanceof FileParseFailure
      ) {
        const code = error instanceof ParseError ? `FILE_${error.code}` : error.code;
        const message = error instanceof ParseError ? error.detail : error.message;
        if (job.kind === 'reindex') await inTenant(em.fork(), tenantId, (tx) => this.embeddingModels.abandon(tx, job));
        await this.finish(em, job, { status: 'failed', errorCode: code, errorMessage: message });
        return;
      }
      this.logger.error({ err: error, jobId }, 'ingestion job failed unexpectedly; it will be retried');
      throw error; // the queue retries with backoff, then dead-letters (see `failUnrecoverable`)
    }
  }

  /** Dead letter: the queue gave up on a job; record it so the user sees why instead of a stuck job. */
  async failUnrecoverable(payload: unknown, error: unknown): Promise<void> {
    const parsed = z.object({ tenantId: z.uuid(), jobId: z.uuid() }).safeParse(payload);
    if (!parsed.success) return;
    const em = this.orm.em.fork();
    const job = await inTenant(em, parsed.data.tenantId, (tx) => tx.findOne(IngestionJob, { id: parsed.data.jobId }));
    if (!job) return;
    this.logger.error({ err: error, jobId: job.id }, 'ingestion job gave up after its retries');
    await this.finish(em, job, { status: 'failed', errorCode: ErrorCode.INTERNAL_SERVER_ERROR, errorMessage: 'Processing failed repeatedly. Please try again.' });
  }

  /** At start: queue again what a previous process left unfinished (the in-process queue forgets on exit). */
  async resumeUnfinished(em: EntityManager): Promise<number> {
    const rows = await em.execute<{ id: string; tenant_id: string }[]>('select id, tenant_id from mascot_unfinished_ingestion_jobs()');
    for (const row of rows) {
      await this.queue.enqueue(INGESTION_QUEUE, { tenantId: row.tenant_id, jobId: row.id }, { dedupeId: `${row.id}:resume` });
    }
    return rows.length;
  }

  /** Parsed and chunked in a worker thread, within the configured limits (see parseUntrustedFile). */
  private async parse(job: IngestionJob): Promise<ParsedFile> {
    // Jobs queued before the shared store kept their file in the row (`file_bytes`); they still run.
    const bytes = job.fileBytes ?? (await this.readUpload(job));
    const csv = job.format === 'csv' ? ((job.options['csv'] as z.infer<typeof csvOptionsSchema> | undefined) ?? { mode: 'qa' as const }) : undefined;
    const parsed = await parseUntrustedFile(job.format as SourceFormat, bytes, csv, this.fileLimits);
    if (parsed.csvRows === 0) throw new IngestionFailure('EMPTY', 'No valid rows in the CSV file.');
    return parsed;
  }

  private async embedWithProgress(em: EntityManager, job: IngestionJob, chunks: DocumentChunk[], embedder: Embedder): Promise<number[][] | null> {
    const embeddings: number[][] = [];
    for (let start = 0; start < chunks.length; start += EMBED_BATCH) {
      const batch = chunks.slice(start, start + EMBED_BATCH);
      embeddings.push(...(await embedder.embed(batch.map(chunkEmbeddingText))));
      const current = await this.recordProgress(em, job, embeddings.length, chunks.length);
      if (current.status === 'cancelled') return null;
      // Let other work (replies streaming) run between batches of CPU-bound embedding.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return embeddings;
  }

  /** Stores and publishes a job's progress; the returned row tells whether it was cancelled meanwhile. */
  private async recordProgress(em: EntityManager, job: IngestionJob, done: number, total: number): Promise<IngestionJob> {
    const current = await inTenant(em.fork(), job.tenantId, async (tx) => {
      const row = await tx.findOneOrFail(IngestionJob, { id: job.id });
      if (row.status === 'cancelled') return row;
      row.chunksTotal = total;
      row.chunksDone = done;
      row.progress = total === 0 ? 0.95 : Math.min(0.95, done / total);
      await tx.flush();
      return row;
    });
    await this.publish(current);
    return current;
  }

  private async finish(
    em: EntityManager,
    job: IngestionJob,
    outcome: { status: 'succeeded' | 'failed'; documentId?: string; rowErrors?: { row: number; message: string }[]; warnings?: string[]; errorCode?: string; errorMessage?: string },
  ): Promise<void> {
    const finished = await inTenant(em.fork(), job.tenantId, async (tx) => {
      const row = await tx.findOneOrFail(IngestionJob, { id: job.id });
      if (row.status === 'cancelled') return row;
      row.status = outcome.status;
      row.progress = outcome.status === 'succeeded' ? 1 : row.progress;
      row.documentId = outcome.documentId ?? null;
      row.rowErrors = outcome.rowErrors ?? row.rowErrors;
      row.warnings = outcome.warnings ?? row.warnings;
      row.errorCode = outcome.errorCode ?? null;
      row.errorMessage = outcome.errorMessage ?? null;
      row.fileBytes = null; // the file is not kept once processed
      row.finishedAt = new Date();
      await tx.flush();
      return row;
    });
    await this.releaseUpload(finished);
    await this.publish(finished);
  }

  private async readUpload(job: IngestionJob): Promise<Buffer> {
    const stored = job.contentHash ? await this.files.get(tenantScope(job.tenantId), KNOWLEDGE_UPLOAD_NAMESPACE, job.contentHash) : null;
    if (!stored) throw new IngestionFailure('UPLOAD_MISSING', 'The uploaded file is no longer stored. Please upload it again.');
    const parts: Buffer[] = [];
    for await (const part of stored.body()) parts.push(part as Buffer);
    return Buffer.concat(parts);
  }

  /**
   * The file is not kept once its job ended. Files are content-addressed, so the same bytes uploaded
   * again by the tenant share one stored file: it goes only when no other unfinished job needs it.
   */
  private async releaseUpload(job: IngestionJob): Promise<void> {
    if (job.kind !== 'file' || !job.contentHash || !['succeeded', 'failed', 'cancelled'].includes(job.status)) return;
    const hash = job.contentHash;
    try {
      const [other] = await inTenant(this.orm.em.fork(), job.tenantId, (tx) =>
        tx.execute<{ id: string }[]>(`select id from ingestion_job where content_hash = ? and status in ('queued', 'running') and id <> ? limit 1`, [hash, job.id]),
      );
      if (!other) await this.files.delete(tenantScope(job.tenantId), KNOWLEDGE_UPLOAD_NAMESPACE, hash);
    } catch (error) {
      // The job's outcome is recorded; a file left behind is only space, reported for the operator.
      this.logger.warn({ err: error, jobId: job.id }, 'could not remove a processed upload from storage');
    }
  }

  private async publish(job: IngestionJob): Promise<void> {
    await this.bus.publish(subjects.knowledgeIngestion(job.tenantId, job.botId), toIngestionEvent(job));
  }
}

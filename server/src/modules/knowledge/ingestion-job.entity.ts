import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '../../core/db/index.ts';

export type IngestionStatus = 'awaiting_upload' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** One file (or re-index) being turned into knowledge; the row is the job's durable state. */
export const IngestionJob = defineEntity({
  name: 'IngestionJob',
  tableName: 'ingestion_job',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    botId: p.uuid(),
    kind: p.string().$type<'file' | 'reindex'>(),
    status: p.string().$type<IngestionStatus>(),
    title: p.string().nullable(),
    fileName: p.string().nullable(),
    format: p.string().nullable(),
    maxBytes: p.integer(),
    byteSize: p.integer().nullable(),
    contentHash: p.string().nullable(),
    fileBytes: p.blob().nullable().lazy(),
    options: p.json<Record<string, unknown>>(),
    documentId: p.uuid().nullable(),
    progress: p.float(),
    chunksTotal: p.integer().nullable(),
    chunksDone: p.integer(),
    rowErrors: p.json<{ row: number; message: string }[]>(),
    warnings: p.json<string[]>(),
    errorCode: p.string().nullable(),
    errorMessage: p.string().nullable(),
    attempts: p.integer(),
    createdBy: p.uuid().nullable(),
    expiresAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    finishedAt: p.datetime().nullable(),
  },
});
export type IngestionJob = InferEntity<typeof IngestionJob>;

import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '../../core/db/index.ts';

export const KnowledgeDocument = defineEntity({
  name: 'KnowledgeDocument',
  tableName: 'knowledge_document',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    botId: p.uuid(),
    title: p.string(),
    sourceType: p.string(),
    /** SHA-256 of the normalised text: the same text added twice to a bot is stored once. */
    contentHash: p.string(),
    chunkCount: p.integer(),
    /** UTF-8 size of the stored text; counts against the plan's knowledge storage. */
    sizeBytes: p.integer(),
    /** The web page it was learnt from (website sources); citations link to it. */
    sourceUrl: p.string().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type KnowledgeDocument = InferEntity<typeof KnowledgeDocument>;

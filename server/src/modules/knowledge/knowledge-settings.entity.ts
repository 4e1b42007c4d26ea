import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '../../core/db/index.ts';

/**
 * A bot's knowledge settings. No row: the offline embedder. `embeddingModel` is the model queries are
 * embedded with and every chunk's `embedding` was made by; while `targetEmbeddingModel` is set, the
 * re-embedding job `reindexJobId` is filling the chunks' `next_embedding` with it.
 */
export const KnowledgeSettings = defineEntity({
  name: 'KnowledgeSettings',
  tableName: 'knowledge_settings',
  filters: tenantFilter,
  properties: {
    botId: p.uuid().primary(),
    tenantId: p.uuid(),
    embeddingModel: p.string(),
    targetEmbeddingModel: p.string().nullable(),
    reindexJobId: p.uuid().nullable(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type KnowledgeSettings = InferEntity<typeof KnowledgeSettings>;

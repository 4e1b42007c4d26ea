import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '../../../core/db/index.ts';

/**
 * One revision of a curated answer. Its id is also the id of the `knowledge_document` row (source type
 * `curated`) that publications pin, so a version keeps answering with the revisions it froze. `entryId`
 * is the entry's stable id across edits; `inDraft` marks the revision the draft holds.
 */
export const CuratedAnswer = defineEntity({
  name: 'CuratedAnswer',
  tableName: 'curated_answer',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    botId: p.uuid(),
    entryId: p.uuid(),
    question: p.text(),
    paraphrases: p.json<string[]>(),
    answer: p.text(),
    inDraft: p.boolean().default(true),
    /** When the entry was first written (kept by every revision: lists stay in the order entries were made). */
    createdAt: p.datetime(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type CuratedAnswer = InferEntity<typeof CuratedAnswer>;

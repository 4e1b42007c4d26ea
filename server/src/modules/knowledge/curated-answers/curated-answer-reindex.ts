import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { inTenant } from '../../../core/db/index.ts';
import type { Embedder } from '../embedding-providers.ts';
import { toVectorLiteral } from '../vector-literal.ts';

/** Variants embedded per step of a re-embedding. */
const BATCH = 64;

/** Variants (of every revision, pinned or in the draft) without a vector of `target` yet. */
const MISSING = `from curated_answer_variant v
  where v.tenant_id = ? and v.bot_id = ? and v.embedding_model <> ?
    and not exists (select 1 from curated_answer_variant w where w.answer_id = v.answer_id and w.text = v.text and w.embedding_model = ?)`;

/**
 * A bot's embedding model change (EmbeddingReindexer) covers its curated answers too: before the switch,
 * every variant gets a row with the new model's vector beside its old one (the lookup compares only
 * vectors of the serving model, so the old rows keep answering until the switch).
 */
export async function embedCuratedVariantsFor(em: EntityManager, tenantId: string, botId: string, target: string, embedder: Embedder): Promise<void> {
  for (;;) {
    const batch = await inTenant(em.fork(), tenantId, (tx) =>
      tx.execute<{ answer_id: string; text: string }[]>(`select distinct v.answer_id, v.text ${MISSING} limit ${BATCH}`, [tenantId, botId, target, target]),
    );
    if (batch.length === 0) return;
    const vectors = await embedder.embed(batch.map((row) => row.text));
    await inTenant(em.fork(), tenantId, async (tx) => {
      await tx.execute(
        `insert into curated_answer_variant (id, tenant_id, bot_id, answer_id, text, embedding, embedding_model)
         values ${batch.map(() => '(?, ?, ?, ?, ?, ?::vector, ?)').join(', ')}`,
        batch.flatMap((row, i) => [randomUUID(), tenantId, botId, row.answer_id, row.text, toVectorLiteral(vectors[i]!), target]),
      );
    });
  }
}

/** In the switch's transaction: false while a variant still lacks a vector of `target` (one arrived meanwhile). */
export async function curatedVariantsReadyFor(tx: EntityManager, tenantId: string, botId: string, target: string): Promise<boolean> {
  const [row] = await tx.execute<{ n: number }[]>(`select count(*)::int as n ${MISSING}`, [tenantId, botId, target, target]);
  return row!.n === 0;
}

/** After the switch (or an abandoned change): only vectors of the serving model stay. */
export async function dropCuratedVariantsNotOf(tx: EntityManager, tenantId: string, botId: string, model: string): Promise<void> {
  await tx.execute(`delete from curated_answer_variant where tenant_id = ? and bot_id = ? and embedding_model <> ?`, [tenantId, botId, model]);
}

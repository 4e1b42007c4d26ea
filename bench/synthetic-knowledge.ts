/**
 * Gives a bot a large knowledge base fast, for benches of retrieval at scale: the deterministic
 * passages of synthetic-corpus.ts (the same text every bench searches), embedded with
 * the offline embedder and written straight into knowledge_document / knowledge_chunk as the
 * knowledge service stores them (full-text vector in the bot's language from section and text, the
 * document's BM25 statistics where the schema has them). Ingesting 10,000 passages through the API
 * would take minutes of chunking and plan quota; the rows are the same. Publish the bot afterwards so
 * its live version includes the new documents.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { embedTexts } from '@mascot/knowledge-core';
import { OFFLINE_MODEL_KEY } from '../server/src/modules/knowledge/embedding-model.ts';
import { toVectorLiteral } from '../server/src/modules/knowledge/vector-literal.ts';
import { chunkAt } from './synthetic-corpus.ts';

const PER_DOCUMENT = 500;
const INSERT_ROWS = 250;

export async function addSyntheticKnowledge(
  ownerDatabaseUrl: string,
  target: { tenantId: string; botId: string },
  passages: number,
  config = 'english',
): Promise<void> {
  const client = new pg.Client({ connectionString: ownerDatabaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ exists: boolean }>(
      `select exists (select 1 from information_schema.tables where table_name = 'knowledge_posting') as exists`,
    );
    // Older schemas (benches of the code before issue 13) compute BM25 statistics per query.
    const hasSearchStats = rows[0]!.exists;
    for (let start = 0; start < passages; start += PER_DOCUMENT) {
      const batch = Array.from({ length: Math.min(PER_DOCUMENT, passages - start) }, (_, j) => chunkAt(start + j));
      const vectors = embedTexts(batch);
      const documentId = randomUUID();
      await client.query('begin');
      await client.query(
        `insert into knowledge_document (id, tenant_id, bot_id, title, source_type, content_hash, chunk_count, size_bytes)
         values ($1, $2, $3, $4, 'text', $5, $6, $7)`,
        [documentId, target.tenantId, target.botId, `Synthetic ${start / PER_DOCUMENT + 1}`, `synthetic-${documentId}`, batch.length,
          batch.reduce((sum, text) => sum + Buffer.byteLength(text), 0)],
      );
      for (let from = 0; from < batch.length; from += INSERT_ROWS) {
        const params: unknown[] = [];
        const tuples = batch.slice(from, from + INSERT_ROWS).map((text, j) => {
          // No section headings: the full-text vector is made of ' ' + text, as the service does for them.
          params.push(randomUUID(), target.tenantId, target.botId, documentId, from + j, text, '[]',
            Math.ceil(text.length / 4), toVectorLiteral(vectors[from + j]!), OFFLINE_MODEL_KEY, config, ` ${text}`);
          const n = params.length;
          return `($${n - 11}, $${n - 10}, $${n - 9}, $${n - 8}, $${n - 7}, $${n - 6}, $${n - 5}::jsonb, $${n - 4}, $${n - 3}::vector,
                   $${n - 2}, $${n - 1}::regconfig, to_tsvector($${n - 1}::regconfig, $${n}))`;
        });
        await client.query(
          `insert into knowledge_chunk (id, tenant_id, bot_id, document_id, index, text, section_path, token_count, embedding,
             embedding_model, search_config, search_vector) values ${tuples.join(', ')}`,
          params,
        );
      }
      if (hasSearchStats) {
        // The document's BM25 statistics, as KnowledgeService.storeDocument writes them.
        await client.query(
          `insert into knowledge_posting (tenant_id, bot_id, document_id, chunk_id, lexeme, tf, len)
           select c.tenant_id, c.bot_id, c.document_id, c.id, u.lexeme, coalesce(array_length(u.positions, 1), 1), length(c.search_vector)
           from knowledge_chunk c, unnest(c.search_vector) u where c.document_id = $1`,
          [documentId],
        );
        await client.query(
          `update knowledge_document set search_length = (select sum(length(search_vector)) from knowledge_chunk where document_id = $1) where id = $1`,
          [documentId],
        );
      }
      await client.query('commit');
    }
    await client.query(hasSearchStats ? 'vacuum analyze knowledge_posting' : 'select 1');
    await client.query('analyze knowledge_chunk');
  } finally {
    await client.end();
  }
}

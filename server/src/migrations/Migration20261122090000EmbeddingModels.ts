import { Migration } from '@mikro-orm/migrations';
import { tenantIsolationStatements } from './Migration20261122010000RowLevelSecurity.ts';

export const EMBEDDING_TENANT_TABLES = ['knowledge_settings'] as const;

/**
 * HNSW build parameters. pgvector's defaults (m 16, ef_construction 64) gave recall@10 0.93 at 10k
 * and 0.76 at 100k offline-embedded chunks even at ef_search 100: the hashed n-gram vectors are nearly
 * orthogonal, so the graph needs more links and a wider build search. Chosen from the sweep in
 * bench/knowledge-scale.bench.ts (figures in bench/README.md).
 */
export const HNSW_M = 32;
export const HNSW_EF_CONSTRUCTION = 128;
/**
 * Dimensions that get an HNSW index: the offline embedder (512) and the common model sizes (MiniLM
 * 384, nomic/BERT-base 768, bge/mxbai 1024, OpenAI text-embedding-3-small/ada 1536). pgvector indexes
 * at most 2,000 dimensions of `vector`; text-embedding-3-large is asked for fewer via `dimensions`.
 */
export const INDEXED_EMBEDDING_DIMENSIONS = [384, 512, 768, 1024, 1536] as const;

/** One partial expression index per dimension (see server/src/modules/knowledge/vector-index.ts). */
export function embeddingIndexStatement(table: string, dimensions: number, build: { m: number; efConstruction: number }): string {
  return `create index ${table}_embedding_${dimensions}_idx on ${table}
    using hnsw ((embedding::vector(${dimensions})) vector_cosine_ops) with (m = ${build.m}, ef_construction = ${build.efConstruction})
    where vector_dims(embedding) = ${dimensions}`;
}

/**
 * Embedding models per bot. Each chunk records the model that embedded it (`provider/model[@dims]`);
 * `knowledge_settings.embedding_model` is the model a bot's queries are embedded with, and retrieval
 * compares only vectors of that model. Changing it re-embeds in the background into
 * `next_embedding`; the new vectors replace the old in one transaction once every chunk has one, so
 * the old vectors keep serving until then.
 *
 * Dimensions differ between models, so `embedding` becomes an untyped `vector`, indexed per common
 * dimension by partial expression indexes (requesting a fixed size from every model is not possible:
 * only text-embedding-3 models take `dimensions`, Ollama/vLLM models have their own).
 */
export class Migration20261122090000EmbeddingModels extends Migration {
  override name = 'Migration20261122090000EmbeddingModels';

  override async up(): Promise<void> {
    this.addSql(`create table knowledge_settings (
      bot_id uuid primary key references bot(id) on delete cascade deferrable initially deferred,
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      embedding_model text not null,
      target_embedding_model text,
      reindex_job_id uuid references ingestion_job(id) on delete set null deferrable initially deferred,
      updated_at timestamptz not null default now()
    )`);
    for (const table of EMBEDDING_TENANT_TABLES) {
      for (const statement of tenantIsolationStatements(table)) this.addSql(statement);
    }
    this.addSql(`drop index knowledge_chunk_embedding_idx`);
    this.addSql(`alter table knowledge_chunk alter column embedding type vector`);
    this.addSql(`alter table knowledge_chunk add column next_embedding vector`);
    this.addSql(`alter table knowledge_chunk add column next_embedding_model text`);
    this.addSql(`update knowledge_chunk set embedding_model = 'offline/' || embedding_model where embedding_model not like '%/%'`);
    for (const dimensions of INDEXED_EMBEDDING_DIMENSIONS) {
      this.addSql(embeddingIndexStatement('knowledge_chunk', dimensions, { m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION }));
    }
  }
}

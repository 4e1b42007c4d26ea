import { Migration } from '@mikro-orm/migrations';
import { tenantIsolationStatements } from './Migration20261122010000RowLevelSecurity.ts';

/** Tenant-owned tables this migration adds (forced row-level security, like every other). */
export const KNOWLEDGE_SEARCH_TENANT_TABLES = ['knowledge_posting'] as const;

/**
 * BM25 statistics kept per bot instead of computed per query (issue 13). Retrieval used to count the
 * bot's passages and their mean length over every chunk, and read the full-text vector of every
 * matching chunk, on each query: ~115 ms at 1,600 chunks, growing with the knowledge. Passages never
 * change once stored, so both are written once, when a document is stored:
 * - knowledge_document.search_length: the total length (lexemes) of its chunks' full-text vectors;
 *   with chunk_count, a bot's passage count and mean length are sums over a few document rows;
 * - knowledge_posting: the inverted index BM25 reads: per chunk and lexeme its term frequency and the
 *   chunk's length, clustered by (bot, lexeme) so a query reads only its words' postings, index only.
 * Deleting a document (or its bot, or tenant) cascades to both.
 */
export class Migration20261207010000KnowledgeSearchStats extends Migration {
  override name = 'Migration20261207010000KnowledgeSearchStats';

  override async up(): Promise<void> {
    this.addSql(`alter table knowledge_document add column search_length bigint not null default 0`);
    this.addSql(`update knowledge_document d set search_length = s.total
      from (select document_id, sum(length(search_vector))::bigint as total from knowledge_chunk group by document_id) s
      where s.document_id = d.id`);
    this.addSql(`create table knowledge_posting (
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      bot_id uuid not null,
      document_id uuid not null references knowledge_document(id) on delete cascade deferrable initially deferred,
      chunk_id uuid not null,
      lexeme text not null,
      tf integer not null,
      len integer not null,
      primary key (bot_id, lexeme, chunk_id) include (tenant_id, document_id, tf, len)
    )`);
    this.addSql(`create index knowledge_posting_document_idx on knowledge_posting (document_id)`);
    for (const table of KNOWLEDGE_SEARCH_TENANT_TABLES) {
      for (const statement of tenantIsolationStatements(table)) this.addSql(statement);
    }
    this.addSql(`insert into knowledge_posting (tenant_id, bot_id, document_id, chunk_id, lexeme, tf, len)
      select c.tenant_id, c.bot_id, c.document_id, c.id, u.lexeme, coalesce(array_length(u.positions, 1), 1), length(c.search_vector)
      from knowledge_chunk c, unnest(c.search_vector) u`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table knowledge_posting`);
    this.addSql(`alter table knowledge_document drop column search_length`);
  }
}

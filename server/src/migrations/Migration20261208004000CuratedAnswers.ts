import { Migration } from '@mikro-orm/migrations';
import { tenantIsolationStatements } from './Migration20261122010000RowLevelSecurity.ts';

/** Tenant-owned tables this migration adds (forced row-level security, like every other). */
export const CURATED_ANSWERS_TENANT_TABLES = ['curated_answer', 'curated_answer_variant'] as const;

/**
 * Curated answers (issue 18; server/src/modules/knowledge/README.md, "Curated answers"):
 * - `curated_answer`: one revision of a team-written entry (question, paraphrases, answer). Each revision
 *   is also a `knowledge_document` row (source_type `curated`, no passages) under the same id, so the
 *   knowledge a version pins (`bot_version.knowledge_document_ids`) pins the revisions it answers with.
 *   `entry_id` stays the same across edits; `in_draft` marks the one revision of an entry the draft holds
 *   (superseded and deleted revisions stay only while a version still pins them).
 * - `curated_answer_variant`: the question and each paraphrase with its embedding (the bot's model),
 *   what a visitor's question is compared with. Per bot there are at most a few thousand: the lookup
 *   reads them through the (tenant, bot) index and orders them by exact distance, which is both exact
 *   and cheaper than an approximate index at that size.
 */
export class Migration20261208004000CuratedAnswers extends Migration {
  override name = 'Migration20261208004000CuratedAnswers';

  override async up(): Promise<void> {
    this.addSql(`create table curated_answer (
      id uuid primary key references knowledge_document(id) on delete cascade deferrable initially deferred,
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      bot_id uuid not null references bot(id) on delete cascade deferrable initially deferred,
      entry_id uuid not null,
      question text not null check (char_length(question) between 1 and 500),
      paraphrases jsonb not null default '[]',
      answer text not null check (char_length(answer) between 1 and 5000),
      in_draft boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create unique index curated_answer_draft_entry_idx on curated_answer (entry_id) where in_draft`);
    this.addSql(`create index curated_answer_bot_idx on curated_answer (tenant_id, bot_id, created_at desc, id desc)`);
    this.addSql(`create table curated_answer_variant (
      id uuid primary key,
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      bot_id uuid not null references bot(id) on delete cascade deferrable initially deferred,
      answer_id uuid not null references curated_answer(id) on delete cascade deferrable initially deferred,
      text text not null,
      embedding vector not null,
      embedding_model text not null
    )`);
    this.addSql(`create index curated_answer_variant_bot_idx on curated_answer_variant (tenant_id, bot_id, answer_id)`);
    for (const table of CURATED_ANSWERS_TENANT_TABLES) {
      for (const statement of tenantIsolationStatements(table)) this.addSql(statement);
    }
  }

  override async down(): Promise<void> {
    this.addSql(`drop table curated_answer_variant`);
    this.addSql(`drop table curated_answer`);
  }
}

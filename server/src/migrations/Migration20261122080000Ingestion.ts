import { Migration } from '@mikro-orm/migrations';
import { tenantIsolationStatements } from './Migration20261122010000RowLevelSecurity.ts';

export const INGESTION_TENANT_TABLES = ['ingestion_job'] as const;

/**
 * Knowledge ingestion as durable jobs. The job row is the source of truth (status, progress, errors);
 * the queue (JetStream or in-process) only carries job ids, so a crash loses nothing: unfinished jobs
 * are picked up again. The uploaded file waits in the row (bytea) until the job succeeds, so any
 * instance can process it.
 */
export class Migration20261122080000Ingestion extends Migration {
  override name = 'Migration20261122080000Ingestion';

  override async up(): Promise<void> {
    this.addSql(`create table ingestion_job (
      id uuid primary key,
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      bot_id uuid not null references bot(id) on delete cascade deferrable initially deferred,
      kind text not null check (kind in ('file','reindex')),
      status text not null check (status in ('awaiting_upload','queued','running','succeeded','failed','cancelled')),
      title text,
      file_name text,
      format text,
      max_bytes integer not null default 0,
      byte_size integer,
      content_hash text,
      file_bytes bytea,
      options jsonb not null default '{}',
      document_id uuid references knowledge_document(id) on delete set null deferrable initially deferred,
      progress real not null default 0,
      chunks_total integer,
      chunks_done integer not null default 0,
      row_errors jsonb not null default '[]',
      warnings jsonb not null default '[]',
      error_code text,
      error_message text,
      attempts integer not null default 0,
      created_by uuid,
      expires_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      finished_at timestamptz
    )`);
    this.addSql(`create index ingestion_job_bot_idx on ingestion_job (tenant_id, bot_id, created_at desc)`);
    this.addSql(`create index ingestion_job_unfinished_idx on ingestion_job (status) where status in ('queued','running')`);
    for (const table of INGESTION_TENANT_TABLES) {
      for (const statement of tenantIsolationStatements(table)) this.addSql(statement);
    }
    // Recovery at start runs before any tenant is known; it needs ids only.
    this.addSql(`create function mascot_unfinished_ingestion_jobs()
      returns table (id uuid, tenant_id uuid)
      language sql stable security definer set search_path = public
      as $$ select j.id, j.tenant_id from ingestion_job j where j.status in ('queued','running') order by j.created_at $$`);
    this.addSql(`revoke all on function mascot_unfinished_ingestion_jobs() from public`);
    this.addSql(`grant execute on function mascot_unfinished_ingestion_jobs() to mascot_app`);
  }
}

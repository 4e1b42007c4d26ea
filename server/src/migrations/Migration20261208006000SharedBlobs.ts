import { Migration } from '@mikro-orm/migrations';
import { tenantIsolationStatements } from './Migration20261122010000RowLevelSecurity.ts';

/** Tenant-owned tables this migration adds; each gets forced row-level security like the rest. */
export const BLOB_TENANT_TABLES = ['tenant_blob', 'tenant_blob_chunk'] as const;

/**
 * Shared file storage in PostgreSQL (core/storage), content-addressed by SHA-256, so every instance
 * sees the same files without another service.
 *
 * - `blob` / `blob_chunk`: files served to anyone who knows the hash (avatar GLBs that published bots
 *   pin, fetched by anonymous visitors). Which tenant uploaded what stays in tenant tables (`avatar_asset`).
 * - `tenant_blob` / `tenant_blob_chunk`: a tenant's own files (knowledge uploads), under forced
 *   row-level security like every tenant table.
 *
 * Bytes are `bytea` in 1 MiB rows rather than large objects: rows follow row-level security and the
 * tenant's `on delete cascade`, are in every `pg_dump` of the tables, work through PgBouncer and on
 * PGlite, and a reader streams a big file one row at a time. `storage external` skips TOAST
 * compression: GLBs and PDFs are compressed already.
 */
export class Migration20261208006000SharedBlobs extends Migration {
  override name = 'Migration20261208006000SharedBlobs';

  override async up(): Promise<void> {
    this.addSql(`create table blob (
      namespace text not null check (namespace ~ '^[a-z][a-z0-9-]{0,39}$'),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      byte_size bigint not null check (byte_size >= 0),
      chunk_count integer not null check (chunk_count >= 0),
      created_at timestamptz not null default now(),
      primary key (namespace, sha256)
    )`);
    this.addSql(`create table blob_chunk (
      namespace text not null,
      sha256 text not null,
      seq integer not null check (seq >= 0),
      data bytea not null,
      primary key (namespace, sha256, seq),
      foreign key (namespace, sha256) references blob (namespace, sha256) on delete cascade
    )`);
    this.addSql(`alter table blob_chunk alter column data set storage external`);

    this.addSql(`create table tenant_blob (
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      namespace text not null check (namespace ~ '^[a-z][a-z0-9-]{0,39}$'),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      byte_size bigint not null check (byte_size >= 0),
      chunk_count integer not null check (chunk_count >= 0),
      created_at timestamptz not null default now(),
      primary key (tenant_id, namespace, sha256)
    )`);
    this.addSql(`create table tenant_blob_chunk (
      tenant_id uuid not null,
      namespace text not null,
      sha256 text not null,
      seq integer not null check (seq >= 0),
      data bytea not null,
      primary key (tenant_id, namespace, sha256, seq),
      foreign key (tenant_id, namespace, sha256) references tenant_blob (tenant_id, namespace, sha256) on delete cascade
    )`);
    this.addSql(`alter table tenant_blob_chunk alter column data set storage external`);

    for (const table of BLOB_TENANT_TABLES) {
      for (const statement of tenantIsolationStatements(table)) this.addSql(statement);
    }
  }
}

import { Migration } from '@mikro-orm/migrations';
import { tenantIsolationStatements } from './Migration20261122010000RowLevelSecurity.ts';

/** Tenant-owned tables this migration adds; each gets forced row-level security like the rest. */
export const AVATARS_TENANT_TABLES = ['avatar_asset', 'avatar_upload'] as const;

/**
 * Uploaded avatars (server/src/modules/avatars). The GLB bytes live outside the database in
 * content-addressed storage; `avatar_asset` records what each tenant uploaded and what validation
 * found in it. `avatar_upload` makes each signed upload URL single-use across server instances.
 */
export class Migration20261122050000Avatars extends Migration {
  override name = 'Migration20261122050000Avatars';

  override async up(): Promise<void> {
    this.addSql(`create table avatar_asset (
      id uuid primary key,
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      name text not null check (char_length(name) between 1 and 120),
      content_hash text not null check (content_hash ~ '^[0-9a-f]{64}$'),
      original_bytes integer not null check (original_bytes > 0),
      optimized_bytes integer not null check (optimized_bytes > 0),
      triangle_count integer not null check (triangle_count >= 0),
      clip_names jsonb not null,
      morph_targets jsonb not null,
      suggested_mapping jsonb not null,
      created_by uuid references app_user(id) on delete set null deferrable initially deferred,
      created_at timestamptz not null default now(),
      unique (tenant_id, content_hash)
    )`);
    this.addSql(`create index avatar_asset_tenant_created_idx on avatar_asset (tenant_id, created_at desc, id desc)`);

    this.addSql(`create table avatar_upload (
      id uuid primary key,
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      file_name text not null,
      max_bytes integer not null check (max_bytes > 0),
      created_by uuid references app_user(id) on delete set null deferrable initially deferred,
      expires_at timestamptz not null,
      consumed_at timestamptz,
      avatar_id uuid references avatar_asset(id) on delete set null deferrable initially deferred,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create index avatar_upload_tenant_expires_idx on avatar_upload (tenant_id, expires_at)`);

    for (const table of AVATARS_TENANT_TABLES) {
      for (const statement of tenantIsolationStatements(table)) this.addSql(statement);
    }
  }
}

import { Migration } from '@mikro-orm/migrations';
import { definerGrantStatements, tenantIsolationStatements } from './Migration20261122010000RowLevelSecurity.ts';

/** Tenant-owned tables this migration adds (forced row-level security, like every other). */
export const IDEMPOTENCY_TENANT_TABLES = ['idempotency_key'] as const;

/**
 * Idempotency-Key for GraphQL mutations over HTTP (partner API issue; server/src/core/idempotency):
 * one row per tenant, caller and key. A row is claimed (`response_status` null, `claim` naming the request)
 * before the mutation runs, so a concurrent duplicate finds it in flight, and completed with the exact
 * response a retry replays.
 * `locked_until` bounds a claim whose instance died mid-request; `expires_at` (24 h) ends the key, and
 * `mascot_purge_idempotency_keys()` deletes expired rows across tenants for the periodic sweep.
 */
export class Migration20261207210500IdempotencyKeys extends Migration {
  override name = 'Migration20261207210500IdempotencyKeys';

  override async up(): Promise<void> {
    this.addSql(`create table idempotency_key (
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      caller text not null check (char_length(caller) between 1 and 200),
      key text not null check (char_length(key) between 1 and 255),
      fingerprint text not null,
      claim uuid not null,
      locked_until timestamptz,
      response_status smallint,
      response_body text,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      primary key (tenant_id, caller, key)
    )`);
    this.addSql(`create index idempotency_key_expires_idx on idempotency_key (expires_at)`);
    for (const table of IDEMPOTENCY_TENANT_TABLES) {
      for (const statement of tenantIsolationStatements(table)) this.addSql(statement);
    }
    // The sweep runs outside any tenant; it deletes only rows past their expiry and returns how many.
    this.addSql(`create function mascot_purge_idempotency_keys()
      returns integer
      language sql volatile security definer set search_path = public
      as $$ with purged as (delete from idempotency_key where expires_at < now() returning 1) select count(*)::integer from purged $$`);
    for (const statement of definerGrantStatements('mascot_purge_idempotency_keys()')) this.addSql(statement);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function mascot_purge_idempotency_keys()`);
    this.addSql(`drop table idempotency_key`);
  }
}

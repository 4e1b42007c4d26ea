import { Migration } from '@mikro-orm/migrations';
import { definerGrantStatements, tenantIsolationStatements } from './Migration20261122010000RowLevelSecurity.ts';

/** Tenant-owned tables this migration adds; each gets forced row-level security like the rest. */
export const IDENTITY_TENANT_TABLES = ['api_key', 'invitation', 'audit_event'] as const;

/**
 * Sessions, API keys, invitations and the audit log. Secrets (refresh tokens, API keys, invitation
 * tokens) are stored only as SHA-256 hashes; the lookups that happen before a tenant is known go
 * through SECURITY DEFINER functions that return ids, never secrets.
 */
export class Migration20261122020000Identity extends Migration {
  override name = 'Migration20261122020000Identity';

  override async up(): Promise<void> {
    this.addSql(`alter table app_user add column is_platform_admin boolean not null default false`);

    // Rotation bookkeeping: why a token stopped working, and when it was exchanged for its successor.
    this.addSql(`alter table refresh_token add column revoked_reason text check (revoked_reason in ('rotated','reused','logout','removed'))`);
    this.addSql(`create index refresh_token_family_idx on refresh_token (family_id)`);

    this.addSql(`create table api_key (
      id uuid primary key,
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      name text not null,
      prefix text not null,
      key_hash text not null unique,
      scopes jsonb not null,
      created_by uuid references app_user(id) on delete set null deferrable initially deferred,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    )`);
    this.addSql(`create index api_key_tenant_idx on api_key (tenant_id, created_at desc)`);

    this.addSql(`create table invitation (
      id uuid primary key,
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      email text not null,
      role text not null check (role in ('admin','designer','agent','analyst','viewer')),
      token_hash text not null unique,
      invited_by uuid references app_user(id) on delete set null deferrable initially deferred,
      expires_at timestamptz not null,
      accepted_at timestamptz,
      accepted_by uuid references app_user(id) on delete set null deferrable initially deferred,
      created_at timestamptz not null default now()
    )`);

    this.addSql(`create table audit_event (
      id uuid primary key,
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      actor_type text not null check (actor_type in ('user','api_key','visitor','system')),
      actor_id uuid,
      action text not null,
      target_type text,
      target_id uuid,
      ip text,
      metadata jsonb not null default '{}',
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create index audit_event_tenant_idx on audit_event (tenant_id, created_at desc, id desc)`);

    for (const table of IDENTITY_TENANT_TABLES) {
      for (const statement of tenantIsolationStatements(table)) this.addSql(statement);
    }

    // Pre-tenant lookups by the hash of a presented secret: they reveal only which tenant to enter.
    this.addSql(`create function mascot_resolve_refresh_token(p_hash text)
      returns table (id uuid, tenant_id uuid)
      language sql stable security definer set search_path = public
      as $$ select t.id, t.tenant_id from refresh_token t where t.token_hash = p_hash $$`);
    this.addSql(`create function mascot_resolve_api_key(p_hash text)
      returns table (id uuid, tenant_id uuid)
      language sql stable security definer set search_path = public
      as $$ select k.id, k.tenant_id from api_key k where k.key_hash = p_hash $$`);
    this.addSql(`create function mascot_resolve_invitation(p_hash text)
      returns table (id uuid, tenant_id uuid)
      language sql stable security definer set search_path = public
      as $$ select i.id, i.tenant_id from invitation i where i.token_hash = p_hash $$`);
    for (const fn of ['mascot_resolve_refresh_token(text)', 'mascot_resolve_api_key(text)', 'mascot_resolve_invitation(text)']) {
      for (const statement of definerGrantStatements(fn)) this.addSql(statement);
    }
  }
}

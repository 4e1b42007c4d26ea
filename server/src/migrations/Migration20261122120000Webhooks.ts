import { Migration } from '@mikro-orm/migrations';
import { definerGrantStatements, tenantIsolationStatements } from './Migration20261122010000RowLevelSecurity.ts';

export const WEBHOOKS_TENANT_TABLES = ['webhook_endpoint', 'webhook_delivery', 'webhook_attempt'] as const;

/**
 * Outgoing webhooks (Standard Webhooks 1.0) through a transactional outbox: a delivery row is written
 * in the same transaction as the change it reports, so an event is never announced for a change that
 * rolled back nor lost for one that committed. Workers on any instance lease due rows; a worker killed
 * mid-delivery lets its lease lapse and another sends the message again (same webhook-id), so a
 * receiver sees it at most once more.
 */
export class Migration20261122120000Webhooks extends Migration {
  override name = 'Migration20261122120000Webhooks';

  override async up(): Promise<void> {
    this.addSql(`create table webhook_endpoint (
      id uuid primary key,
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      url text not null,
      description text not null default '',
      event_types jsonb not null,
      secrets jsonb not null,
      status text not null check (status in ('enabled','disabled')),
      disabled_reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create index webhook_endpoint_tenant_idx on webhook_endpoint (tenant_id, created_at desc)`);
    this.addSql(`create table webhook_delivery (
      id uuid primary key,
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      endpoint_id uuid not null references webhook_endpoint(id) on delete cascade deferrable initially deferred,
      message_id text not null,
      event_type text not null,
      payload jsonb not null,
      status text not null check (status in ('pending','delivered','failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      leased_until timestamptz,
      last_status_code integer,
      last_error text,
      created_at timestamptz not null default now(),
      delivered_at timestamptz
    )`);
    this.addSql(`create index webhook_delivery_endpoint_idx on webhook_delivery (tenant_id, endpoint_id, created_at desc)`);
    this.addSql(`create index webhook_delivery_due_idx on webhook_delivery (next_attempt_at) where status = 'pending'`);
    this.addSql(`create table webhook_attempt (
      id uuid primary key,
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      delivery_id uuid not null references webhook_delivery(id) on delete cascade deferrable initially deferred,
      attempt integer not null,
      status_code integer,
      error text,
      duration_ms integer not null,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create index webhook_attempt_delivery_idx on webhook_attempt (tenant_id, delivery_id, attempt)`);
    for (const table of WEBHOOKS_TENANT_TABLES) {
      for (const statement of tenantIsolationStatements(table)) this.addSql(statement);
    }
    // Workers serve every tenant, so leasing happens before a tenant is known: the function leases
    // due rows (skipping rows another worker holds) and returns only their ids.
    this.addSql(`create function mascot_lease_webhook_deliveries(lease_ms integer, max_rows integer)
      returns table (id uuid, tenant_id uuid)
      language sql volatile security definer set search_path = public
      as $$
        update webhook_delivery d
           set leased_until = now() + make_interval(secs => lease_ms / 1000.0)
         where d.id in (
           select w.id from webhook_delivery w
            where w.status = 'pending' and w.next_attempt_at <= now()
              and (w.leased_until is null or w.leased_until < now())
            order by w.next_attempt_at
            limit max_rows
            for update skip locked)
        returning d.id, d.tenant_id
      $$`);
    for (const statement of definerGrantStatements('mascot_lease_webhook_deliveries(integer, integer)')) this.addSql(statement);
    // The metrics endpoint reports the backlog across tenants: a number, nothing else.
    this.addSql(`create function mascot_webhook_backlog()
      returns bigint
      language sql stable security definer set search_path = public
      as $$ select count(*) from webhook_delivery where status = 'pending' $$`);
    for (const statement of definerGrantStatements('mascot_webhook_backlog()')) this.addSql(statement);
  }
}

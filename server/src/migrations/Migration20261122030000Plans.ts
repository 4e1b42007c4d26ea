import { Migration } from '@mikro-orm/migrations';
import { tenantIsolationStatements } from './Migration20261122010000RowLevelSecurity.ts';

/** Tenant-owned tables this migration adds. */
export const PLANS_TENANT_TABLES = ['tenant_usage'] as const;

/**
 * Plans and usage. The plan's limits live in code (modules/tenants/plans.ts); the database keeps
 * which plan a tenant is on and the monthly counters, incremented atomically so concurrent
 * requests cannot overshoot a limit.
 */
export class Migration20261122030000Plans extends Migration {
  override name = 'Migration20261122030000Plans';

  override async up(): Promise<void> {
    this.addSql(`alter table tenant add column plan text not null default 'free' check (plan in ('free','pro','enterprise'))`);
    this.addSql(`alter table knowledge_document add column size_bytes integer not null default 0`);
    this.addSql(`create table tenant_usage (
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      period text not null check (period ~ '^[0-9]{4}-[0-9]{2}$'),
      messages integer not null default 0,
      ai_cost_micro_usd bigint not null default 0,
      primary key (tenant_id, period)
    )`);
    for (const table of PLANS_TENANT_TABLES) {
      for (const statement of tenantIsolationStatements(table)) this.addSql(statement);
    }
  }
}

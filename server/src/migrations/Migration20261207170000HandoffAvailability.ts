import { Migration } from '@mikro-orm/migrations';
import { definerGrantStatements, tenantIsolationStatements } from './Migration20261122010000RowLevelSecurity.ts';

/** Tenant-owned tables this migration adds (forced row-level security, like every other). */
export const HANDOFF_AVAILABILITY_TENANT_TABLES = ['handoff_settings'] as const;

/**
 * Handoff by the visitor's choice (issue 14; server/src/modules/conversations, handoff*.ts, business-hours.ts):
 * - `handoff_settings`: one row per tenant with its business hours (IANA time zone, weekly openings as
 *   jsonb `[{ day, opens, closes }]`, holiday dates) and how long a waiting handoff may go untaken before
 *   it falls back to the bot. No row: always open, 5 minutes.
 * - `conversation.handoff_offered_at`: an unsure reply offered a person; the visitor's next message may
 *   accept ("yes") or decline it. Cleared by that message.
 * - `mascot_waiting_handoffs()`: the waits still running, across tenants, for the instance that starts to
 *   schedule their timeouts again (the in-process job queue keeps nothing over a restart).
 */
export class Migration20261207170000HandoffAvailability extends Migration {
  override name = 'Migration20261207170000HandoffAvailability';

  override async up(): Promise<void> {
    this.addSql(`create table handoff_settings (
      tenant_id uuid primary key references tenant(id) on delete cascade deferrable initially deferred,
      time_zone text not null default 'UTC' check (char_length(time_zone) between 1 and 64),
      weekly_hours jsonb not null default '[]' check (jsonb_typeof(weekly_hours) = 'array'),
      holidays date[] not null default '{}' check (cardinality(holidays) <= 366),
      wait_timeout_seconds integer not null default 300 check (wait_timeout_seconds between 1 and 86400),
      updated_at timestamptz not null default now()
    )`);
    for (const table of HANDOFF_AVAILABILITY_TENANT_TABLES) {
      for (const statement of tenantIsolationStatements(table)) this.addSql(statement);
    }
    this.addSql(`alter table conversation add column handoff_offered_at timestamptz`);
    this.addSql(`create function mascot_waiting_handoffs()
      returns table (tenant_id uuid, conversation_id uuid, requested_at timestamptz)
      language sql stable security definer set search_path = public
      as $$ select c.tenant_id, c.id, c.handoff_requested_at from conversation c
            where c.status = 'WAITING_FOR_AGENT' and c.handoff_requested_at is not null order by c.handoff_requested_at $$`);
    for (const statement of definerGrantStatements('mascot_waiting_handoffs()')) this.addSql(statement);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function mascot_waiting_handoffs()`);
    this.addSql(`alter table conversation drop column handoff_offered_at`);
    this.addSql(`drop table handoff_settings`);
  }
}

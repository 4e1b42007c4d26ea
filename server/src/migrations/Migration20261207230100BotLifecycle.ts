import { Migration } from '@mikro-orm/migrations';
import { definerGrantStatements } from './Migration20261122010000RowLevelSecurity.ts';

/**
 * Archiving and deleting bots (server/src/modules/bots/bot-lifecycle.service.ts, bot-purge.ts):
 *
 * - `archived_at`: set while the bot is archived; it starts no conversations until unarchived.
 * - `deleted_at` / `purge_after`: set together by deleteBot. The bot stops counting against the plan at once;
 *   once `purge_after` passes, a durable job deletes the row, and with it (foreign keys cascade) every version,
 *   conversation, message, lead, feedback, knowledge document and analytics row of the bot. restoreBot clears both.
 * - `mascot_due_bot_purges(now, max_rows)`: the sweep that hands due purges to the job queue runs before any
 *   tenant is known, so it lists them across tenants through this SECURITY DEFINER function: ids and the
 *   deletion instant (the job's idempotency key) only.
 *
 * `bot` already has forced row-level security; no new table.
 */
export class Migration20261207230100BotLifecycle extends Migration {
  override name = 'Migration20261207230100BotLifecycle';

  override async up(): Promise<void> {
    this.addSql(`alter table bot
      add column archived_at timestamptz,
      add column deleted_at timestamptz,
      add column purge_after timestamptz,
      add constraint bot_deletion_check check ((deleted_at is null) = (purge_after is null))`);
    // The sweep reads only bots waiting for their purge: a partial index stays as small as that set.
    this.addSql(`create index bot_purge_after_idx on bot (purge_after) where purge_after is not null`);
    this.addSql(`create function mascot_due_bot_purges(p_now timestamptz, max_rows integer)
      returns table (tenant_id uuid, bot_id uuid, deleted_at timestamptz)
      language sql stable security definer set search_path = public
      as $$ select b.tenant_id, b.id, b.deleted_at from bot b
            where b.purge_after is not null and b.purge_after <= p_now order by b.purge_after limit max_rows $$`);
    for (const statement of definerGrantStatements('mascot_due_bot_purges(timestamptz, integer)')) this.addSql(statement);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function mascot_due_bot_purges(timestamptz, integer)`);
    this.addSql(`drop index bot_purge_after_idx`);
    this.addSql(`alter table bot drop constraint bot_deletion_check, drop column purge_after, drop column deleted_at, drop column archived_at`);
  }
}

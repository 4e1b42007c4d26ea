import { Migration } from '@mikro-orm/migrations';

/**
 * Handoff changes stored as messages (modules/conversations/system-notices.ts): role `SYSTEM`, with what
 * happened in `notice` (jsonb: kind, agent name, reasons), so a conversation's messages stay a complete record
 * after the 24-hour event log is pruned. A notice is set exactly on SYSTEM messages. `message` already has
 * forced row-level security; no new table.
 */
export class Migration20261207240100SystemMessages extends Migration {
  override name = 'Migration20261207240100SystemMessages';

  override async up(): Promise<void> {
    this.addSql(`alter table message drop constraint message_role_check`);
    this.addSql(`alter table message
      add constraint message_role_check check (role in ('VISITOR','ASSISTANT','AGENT','SYSTEM')),
      add column notice jsonb,
      add constraint message_system_notice_check check ((role = 'SYSTEM') = (notice is not null))`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from message where role = 'SYSTEM'`);
    this.addSql(`alter table message
      drop constraint message_system_notice_check,
      drop column notice,
      drop constraint message_role_check,
      add constraint message_role_check check (role in ('VISITOR','ASSISTANT','AGENT'))`);
  }
}

import { Migration } from '@mikro-orm/migrations';
import { tenantIsolationStatements } from './Migration20261122010000RowLevelSecurity.ts';

/** Tenant-owned tables this migration adds (forced row-level security, like every other). */
export const CONSOLE_INBOX_TENANT_TABLES = ['conversation_note', 'canned_reply'] as const;

/**
 * The Console Inbox's team tools (issue 17; server/src/modules/conversations):
 * - a conversation can be closed (and reopened): when and by whom — a member or an API key, one of the two.
 *   Closing is a mark, not a status: the visitor's widget and the reply path do not change, and a new visitor
 *   message reopens it (handoff.service.ts). The partial index serves the Inbox's and list's "open" views;
 * - `conversation_note`: internal notes agents write about a conversation; a table of their own, so no path
 *   that reads messages (the visitor's history, the prompt, exports for the visitor) can pick them up;
 * - `canned_reply`: the team's saved replies, one per shortcut (case-insensitive) per tenant;
 * - `conversation (tenant_id, visitor_id)`: one visitor's earlier conversations, shown beside each conversation.
 */
export class Migration20261208007000ConsoleInboxTools extends Migration {
  override name = 'Migration20261208007000ConsoleInboxTools';

  override async up(): Promise<void> {
    this.addSql(`alter table conversation
      add column closed_at timestamptz,
      add column closed_by_user_id uuid,
      add column closed_by_api_key_id uuid,
      add constraint conversation_closed_by_one check (
        (closed_at is null and closed_by_user_id is null and closed_by_api_key_id is null)
        or (closed_at is not null and num_nonnulls(closed_by_user_id, closed_by_api_key_id) <= 1))`);
    this.addSql(`create index conversation_visitor_idx on conversation (tenant_id, visitor_id) where visitor_id is not null`);
    this.addSql(`create table conversation_note (
      id uuid primary key,
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      conversation_id uuid not null references conversation(id) on delete cascade deferrable initially deferred,
      author_user_id uuid,
      author_api_key_id uuid,
      author_name text not null check (char_length(author_name) between 1 and 120),
      text text not null check (char_length(text) between 1 and 4000),
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create index conversation_note_conversation_idx on conversation_note (conversation_id, created_at, id)`);
    this.addSql(`create table canned_reply (
      id uuid primary key,
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      shortcut text not null check (shortcut ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
      text text not null check (char_length(text) between 1 and 2000),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create unique index canned_reply_shortcut_idx on canned_reply (tenant_id, shortcut)`);
    for (const table of CONSOLE_INBOX_TENANT_TABLES) {
      for (const statement of tenantIsolationStatements(table)) this.addSql(statement);
    }
  }

  override async down(): Promise<void> {
    this.addSql(`drop table canned_reply`);
    this.addSql(`drop table conversation_note`);
    this.addSql(`drop index if exists conversation_visitor_idx`);
    this.addSql(`alter table conversation drop constraint conversation_closed_by_one,
      drop column closed_at, drop column closed_by_user_id, drop column closed_by_api_key_id`);
  }
}

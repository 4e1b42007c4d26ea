import { Migration } from '@mikro-orm/migrations';
import { tenantIsolationStatements } from './Migration20261122010000RowLevelSecurity.ts';

/** Tenant-owned tables this migration adds; each gets forced row-level security like the rest. */
export const HANDOFF_TENANT_TABLES = ['lead'] as const;

/**
 * Human handoff and lead capture (server/src/modules/conversations, handoff.* and lead*.*).
 *
 * A conversation is answered by the bot (BOT), waits for a person (WAITING_FOR_AGENT) or is held by
 * one agent (WITH_AGENT). Taking over is one conditional update on this row, so two agents racing
 * for the same conversation cannot both win. Agents' messages are stored as role AGENT with the name
 * the visitor saw. A lead holds the contact details a visitor gave, one per conversation.
 */
export class Migration20261122110000Handoff extends Migration {
  override name = 'Migration20261122110000Handoff';

  override async up(): Promise<void> {
    this.addSql(`alter table conversation
      add column status text not null default 'BOT' check (status in ('BOT','WAITING_FOR_AGENT','WITH_AGENT')),
      add column handoff_reason text check (handoff_reason in ('VISITOR_REQUEST','BOT_UNSURE','AGENT_INITIATED')),
      add column handoff_requested_at timestamptz,
      add column agent_user_id uuid references app_user(id) on delete set null deferrable initially deferred,
      add column agent_name text check (char_length(agent_name) between 1 and 80),
      add constraint conversation_agent_holds_check check ((status = 'WITH_AGENT') = (agent_user_id is not null))`);
    // The agents' queue: few rows of a tenant wait at any time, the rest are answered by the bot.
    this.addSql(`create index conversation_waiting_idx on conversation (tenant_id, handoff_requested_at)
      where status = 'WAITING_FOR_AGENT'`);

    this.addSql(`alter table message drop constraint message_role_check`);
    this.addSql(`alter table message
      add constraint message_role_check check (role in ('VISITOR','ASSISTANT','AGENT')),
      add column author_user_id uuid references app_user(id) on delete set null deferrable initially deferred,
      add column author_name text,
      add constraint message_agent_author_check check ((role = 'AGENT') = (author_name is not null))`);

    this.addSql(`create table lead (
      id uuid primary key,
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      bot_id uuid not null references bot(id) on delete cascade deferrable initially deferred,
      conversation_id uuid not null unique references conversation(id) on delete cascade deferrable initially deferred,
      source_message_id uuid not null references message(id) on delete cascade deferrable initially deferred,
      name text check (char_length(name) between 1 and 120),
      email text check (char_length(email) between 3 and 254),
      phone text check (char_length(phone) between 3 and 40),
      wants_contact boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create index lead_bot_created_idx on lead (tenant_id, bot_id, created_at desc, id desc)`);
    for (const table of HANDOFF_TENANT_TABLES) {
      for (const statement of tenantIsolationStatements(table)) this.addSql(statement);
    }
  }
}

import { Migration } from '@mikro-orm/migrations';
import { definerGrantStatements, tenantIsolationStatements } from './Migration20261122010000RowLevelSecurity.ts';

/** Tenant-owned tables this migration adds; each gets forced row-level security like the rest. */
export const CONVERSATION_EVENTS_TENANT_TABLES = ['conversation_event', 'ai_usage_daily', 'answer_cache'] as const;

/**
 * The reply path's durable state (server/src/modules/conversations, README there):
 *
 * - `conversation_event`: every event of a conversation, written before it is published, numbered by
 *   `conversation.last_event_seq` (one row update per batch, so any instance can allocate safely).
 *   A reconnecting subscriber replays the rows after its last seen seq. Rows live 24 hours
 *   (`mascot_prune_conversation_events`); the stored messages are the permanent record.
 * - usage columns on `message` and `ai_usage_daily`, the per bot, tenant and UTC day roll-up updated in
 *   the transaction that stores the assistant message, so they always add up to the messages.
 * - `answer_cache`: answers per published bot version and normalized question, with an expiry; a row
 *   counts only while its version is the bot's live one, so publishing invalidates it at once.
 */
export class Migration20261122100000ConversationEvents extends Migration {
  override name = 'Migration20261122100000ConversationEvents';

  override async up(): Promise<void> {
    this.addSql(`alter table conversation add column last_event_seq integer not null default 0`);
    this.addSql(`create table conversation_event (
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      conversation_id uuid not null references conversation(id) on delete cascade deferrable initially deferred,
      seq integer not null check (seq > 0),
      type text not null,
      payload jsonb not null,
      created_at timestamptz not null default now(),
      primary key (conversation_id, seq)
    )`);
    this.addSql(`create index conversation_event_created_idx on conversation_event (created_at)`);

    this.addSql(`alter table message
      add column model text,
      add column input_tokens integer check (input_tokens >= 0),
      add column output_tokens integer check (output_tokens >= 0),
      add column cost_micro_usd bigint check (cost_micro_usd >= 0),
      add column pricing_version text,
      add column cache_hit boolean not null default false,
      add column intent text,
      add column sentiment real check (sentiment between -1 and 1),
      add column animation text`);

    this.addSql(`create table ai_usage_daily (
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      bot_id uuid not null references bot(id) on delete cascade deferrable initially deferred,
      day date not null,
      replies integer not null default 0,
      cache_hits integer not null default 0,
      input_tokens bigint not null default 0,
      output_tokens bigint not null default 0,
      cost_micro_usd bigint not null default 0,
      latency_ms_total bigint not null default 0,
      first_token_ms_total bigint not null default 0,
      first_token_replies integer not null default 0,
      primary key (tenant_id, bot_id, day)
    )`);

    this.addSql(`create table answer_cache (
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      bot_id uuid not null references bot(id) on delete cascade deferrable initially deferred,
      bot_version_id uuid not null references bot_version(id) on delete cascade deferrable initially deferred,
      question_key text not null,
      answer text not null,
      sources jsonb not null,
      provider text not null,
      model text not null,
      hits integer not null default 0,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      primary key (bot_version_id, question_key)
    )`);
    this.addSql(`create index answer_cache_expires_idx on answer_cache (expires_at)`);

    for (const table of CONVERSATION_EVENTS_TENANT_TABLES) {
      for (const statement of tenantIsolationStatements(table)) this.addSql(statement);
    }

    // Retention runs before any tenant is known and must see every tenant's rows; these two functions
    // delete only by age (and, for the cache, by a version no longer live), in bounded batches.
    this.addSql(`create function mascot_prune_conversation_events(p_before timestamptz, p_limit integer)
      returns integer
      language sql volatile security definer set search_path = public
      as $$
        with doomed as (
          select conversation_id, seq from conversation_event where created_at < p_before limit p_limit
        ), deleted as (
          delete from conversation_event e using doomed d
          where e.conversation_id = d.conversation_id and e.seq = d.seq
          returning 1
        )
        select count(*)::integer from deleted
      $$`);
    this.addSql(`create function mascot_prune_answer_cache(p_limit integer)
      returns integer
      language sql volatile security definer set search_path = public
      as $$
        with doomed as (
          select c.bot_version_id, c.question_key from answer_cache c
          left join bot b on b.id = c.bot_id
          where c.expires_at < now() or b.live_version_id is distinct from c.bot_version_id
          limit p_limit
        ), deleted as (
          delete from answer_cache c using doomed d
          where c.bot_version_id = d.bot_version_id and c.question_key = d.question_key
          returning 1
        )
        select count(*)::integer from deleted
      $$`);
    for (const fn of ['mascot_prune_conversation_events(timestamptz, integer)', 'mascot_prune_answer_cache(integer)']) {
      for (const statement of definerGrantStatements(fn)) this.addSql(statement);
    }
  }
}

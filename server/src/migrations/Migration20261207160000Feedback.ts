import { Migration } from '@mikro-orm/migrations';
import { tenantIsolationStatements } from './Migration20261122010000RowLevelSecurity.ts';

/** Tenant-owned tables this migration adds (forced row-level security, like every other). */
export const FEEDBACK_TENANT_TABLES = ['answer_feedback', 'conversation_rating'] as const;

/**
 * Visitor feedback (issue 14; server/src/modules/conversations, feedback.*):
 * - `answer_feedback`: 👍/👎 and an optional comment on one assistant answer, one row per answer
 *   (rating again updates it);
 * - `conversation_rating`: the CSAT rating (1–5) and an optional comment, one row per conversation.
 * `analytics_daily` gains the counters the reports read (analytics-recorder.ts keeps them equal to
 * these rows: a changed rating moves its count, on the day the feedback was first given):
 * helpful/unhelpful answers and the number of conversation ratings of each score.
 */
export class Migration20261207160000Feedback extends Migration {
  override name = 'Migration20261207160000Feedback';

  override async up(): Promise<void> {
    this.addSql(`create table answer_feedback (
      id uuid primary key,
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      bot_id uuid not null references bot(id) on delete cascade deferrable initially deferred,
      conversation_id uuid not null references conversation(id) on delete cascade deferrable initially deferred,
      message_id uuid not null unique references message(id) on delete cascade deferrable initially deferred,
      helpful boolean not null,
      comment text check (char_length(comment) between 1 and 1000),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create index answer_feedback_bot_created_idx on answer_feedback (tenant_id, bot_id, created_at desc, id desc)`);
    this.addSql(`create index answer_feedback_conversation_idx on answer_feedback (conversation_id)`);
    this.addSql(`create table conversation_rating (
      id uuid primary key,
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      bot_id uuid not null references bot(id) on delete cascade deferrable initially deferred,
      conversation_id uuid not null unique references conversation(id) on delete cascade deferrable initially deferred,
      rating smallint not null check (rating between 1 and 5),
      comment text check (char_length(comment) between 1 and 1000),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create index conversation_rating_bot_created_idx on conversation_rating (tenant_id, bot_id, created_at desc, id desc)`);
    for (const table of FEEDBACK_TENANT_TABLES) {
      for (const statement of tenantIsolationStatements(table)) this.addSql(statement);
    }
    this.addSql(`alter table analytics_daily
      add column helpful_answers integer not null default 0,
      add column unhelpful_answers integer not null default 0,
      add column csat_1 integer not null default 0,
      add column csat_2 integer not null default 0,
      add column csat_3 integer not null default 0,
      add column csat_4 integer not null default 0,
      add column csat_5 integer not null default 0`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table analytics_daily drop column helpful_answers, drop column unhelpful_answers,
      drop column csat_1, drop column csat_2, drop column csat_3, drop column csat_4, drop column csat_5`);
    this.addSql(`drop table conversation_rating`);
    this.addSql(`drop table answer_feedback`);
  }
}

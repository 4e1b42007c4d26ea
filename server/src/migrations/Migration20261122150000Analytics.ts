import { Migration } from '@mikro-orm/migrations';
import { definerGrantStatements, tenantIsolationStatements } from './Migration20261122010000RowLevelSecurity.ts';

/** Tenant-owned tables this migration adds; each gets forced row-level security like the rest. */
export const ANALYTICS_TENANT_TABLES = ['analytics_daily', 'analytics_visitor_day', 'analytics_conversation', 'analytics_question_day'] as const;

/**
 * Buckets of the time-to-first-token histogram (server/src/modules/analytics/ttft-histogram.ts).
 * Part of the stored format: changing it needs a new migration that rewrites the column.
 */
const TTFT_BUCKETS = 160;

/**
 * Pre-aggregated analytics (server/src/modules/analytics, README there). The counters are updated in
 * the transaction that records each domain event, so they always equal what was stored, and reading a
 * year costs at most 366 rows per bot instead of a scan over every message.
 *
 * - `analytics_daily`: per tenant, bot and UTC day — conversations, messages by author, handed-off conversations, leads, unanswered questions, visitor sentiment counts and a fixed-bucket
 *   histogram of times to first token (mergeable by adding, so medians over any range come from it).
 *   Costs are not repeated here: they live in `ai_usage_daily`.
 * - `analytics_visitor_day`: who was active per bot and day (started a conversation or wrote), so unique
 *   visitors are exact for a day and for any range (count distinct over a table far smaller than messages).
 * - `analytics_conversation`: a conversation's start day and whether it was handed off or gave a lead,
 *   so each is counted once however often it happens.
 * - `analytics_question_day`: visitor questions per normalized text and day, with how often the bot
 *   could not answer them; top questions are grouped by similarity when read.
 */
export class Migration20261122150000Analytics extends Migration {
  override name = 'Migration20261122150000Analytics';

  override async up(): Promise<void> {
    this.addSql(`create table analytics_daily (
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      bot_id uuid not null references bot(id) on delete cascade deferrable initially deferred,
      day date not null,
      conversations integer not null default 0,
      visitor_messages integer not null default 0,
      assistant_messages integer not null default 0,
      agent_messages integer not null default 0,
      handed_off_conversations integer not null default 0,
      leads integer not null default 0,
      unanswered_questions integer not null default 0,
      sentiment_positive integer not null default 0,
      sentiment_neutral integer not null default 0,
      sentiment_negative integer not null default 0,
      ttft_histogram integer[] not null default array_fill(0, array[${TTFT_BUCKETS}])
        check (cardinality(ttft_histogram) = ${TTFT_BUCKETS}),
      primary key (tenant_id, bot_id, day)
    )`);
    // Tenant-wide ranges read by day across bots.
    this.addSql(`create index analytics_daily_tenant_day_idx on analytics_daily (tenant_id, day)`);
    this.addSql(`create table analytics_visitor_day (
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      bot_id uuid not null references bot(id) on delete cascade deferrable initially deferred,
      day date not null,
      visitor_key text not null,
      primary key (tenant_id, bot_id, day, visitor_key)
    )`);
    // Tenant-wide visitors per day, counted distinct from the index alone (the key is in it).
    this.addSql(`create index analytics_visitor_day_tenant_day_idx on analytics_visitor_day (tenant_id, day, visitor_key)`);
    this.addSql(`create table analytics_conversation (
      conversation_id uuid primary key references conversation(id) on delete cascade deferrable initially deferred,
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      bot_id uuid not null references bot(id) on delete cascade deferrable initially deferred,
      day date not null,
      handed_off boolean not null default false,
      gave_lead boolean not null default false
    )`);
    this.addSql(`create table analytics_question_day (
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      bot_id uuid not null references bot(id) on delete cascade deferrable initially deferred,
      day date not null,
      question_hash text not null,
      question text not null check (char_length(question) <= 500),
      asked integer not null default 0,
      unanswered integer not null default 0,
      best_score real,
      last_asked_at timestamptz not null default now(),
      primary key (tenant_id, bot_id, day, question_hash)
    )`);
    for (const table of ANALYTICS_TENANT_TABLES) {
      for (const statement of tenantIsolationStatements(table)) this.addSql(statement);
    }

    // The platform-admin view spans tenants, which row-level security forbids the app role. This function
    // returns only per-tenant sums over a bounded range — no ids below the tenant, no text; the server
    // calls it only for platform admins (analytics.service.ts).
    this.addSql(`create function mascot_platform_analytics(p_from date, p_to date)
      returns table (tenant_id uuid, tenant_name text, plan text, bots bigint, conversations bigint, messages bigint,
        unique_visitors bigint, handed_off_conversations bigint, leads bigint, cost_micro_usd bigint)
      language sql stable security definer set search_path = public
      as $$
        with daily as (
          select d.tenant_id, count(distinct d.bot_id) as bots, sum(d.conversations) as conversations,
                 sum(d.visitor_messages + d.assistant_messages + d.agent_messages) as messages,
                 sum(d.handed_off_conversations) as handed_off, sum(d.leads) as leads
            from analytics_daily d where d.day between p_from and p_to group by d.tenant_id
        ), visitors as (
          select v.tenant_id, count(distinct v.visitor_key) as unique_visitors
            from analytics_visitor_day v where v.day between p_from and p_to group by v.tenant_id
        ), costs as (
          select u.tenant_id, sum(u.cost_micro_usd) as cost
            from ai_usage_daily u where u.day between p_from and p_to group by u.tenant_id
        )
        select t.id, t.name, t.plan, coalesce(d.bots, 0), coalesce(d.conversations, 0), coalesce(d.messages, 0),
               coalesce(v.unique_visitors, 0), coalesce(d.handed_off, 0), coalesce(d.leads, 0), coalesce(c.cost, 0)::bigint
          from tenant t
          left join daily d on d.tenant_id = t.id
          left join visitors v on v.tenant_id = t.id
          left join costs c on c.tenant_id = t.id
         where d.tenant_id is not null or c.tenant_id is not null
         order by coalesce(d.conversations, 0) desc, t.name
      $$`);
    for (const statement of definerGrantStatements('mascot_platform_analytics(date, date)')) this.addSql(statement);
  }
}

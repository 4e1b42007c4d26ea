import { Migration } from '@mikro-orm/migrations';
import { tenantIsolationStatements } from './Migration20261122010000RowLevelSecurity.ts';

/** Tenant-owned tables this migration adds (forced row-level security, like every other). */
export const AI_COSTS_BY_MODEL_TENANT_TABLES = ['ai_usage_model_daily'] as const;

/**
 * AI replies per bot, UTC day, provider and model (issue 17: the Console's "costs per provider/model"):
 * `ai_usage_daily` sums a bot's day without saying which model cost what, and a report must not read the
 * messages. Kept like `ai_usage_daily`, by the reply path's deferred counters (reply-usage.ts); filled here
 * from the assistant messages already stored, which carry the same numbers.
 */
export class Migration20261208002100AiCostsByModel extends Migration {
  override name = 'Migration20261208002100AiCostsByModel';

  override async up(): Promise<void> {
    this.addSql(`create table ai_usage_model_daily (
      tenant_id uuid not null references tenant(id) on delete cascade deferrable initially deferred,
      bot_id uuid not null references bot(id) on delete cascade deferrable initially deferred,
      day date not null,
      provider text not null,
      model text not null,
      replies integer not null default 0,
      input_tokens bigint not null default 0,
      output_tokens bigint not null default 0,
      cost_micro_usd bigint not null default 0,
      primary key (tenant_id, bot_id, day, provider, model)
    )`);
    for (const table of AI_COSTS_BY_MODEL_TENANT_TABLES) for (const statement of tenantIsolationStatements(table)) this.addSql(statement);
    this.addSql(`insert into ai_usage_model_daily (tenant_id, bot_id, day, provider, model, replies, input_tokens, output_tokens, cost_micro_usd)
      select m.tenant_id, c.bot_id, (m.created_at at time zone 'UTC')::date, m.provider, m.model, count(*),
        coalesce(sum(m.input_tokens), 0), coalesce(sum(m.output_tokens), 0), coalesce(sum(m.cost_micro_usd), 0)
      from message m join conversation c on c.id = m.conversation_id
      where m.role = 'ASSISTANT' and m.provider is not null and m.model is not null
      group by 1, 2, 3, 4, 5`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists ai_usage_model_daily`);
  }
}

import { Migration } from '@mikro-orm/migrations';

/** Tables whose rows belong to one tenant. `tenant` itself is scoped by its id. */
export const TENANT_TABLES = [
  'membership', 'refresh_token', 'bot', 'bot_version', 'knowledge_document', 'knowledge_chunk', 'conversation', 'message',
] as const;

/** The role the application runs as: owns nothing, cannot bypass row-level security. */
export const APP_ROLE = 'mascot_app';

const CURRENT_TENANT = `nullif(current_setting('mascot.tenant_id', true), '')::uuid`;

/**
 * The statements that put one tenant-owned table under forced row-level security. Later migrations
 * reuse them for their new tables, so this text must never change: a migration is history.
 */
export function tenantIsolationStatements(table: string, column = 'tenant_id'): string[] {
  return [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy tenant_isolation on ${table} using (${column} = ${CURRENT_TENANT}) with check (${column} = ${CURRENT_TENANT})`,
  ];
}

/** Lets the app role call a SECURITY DEFINER lookup, and nobody else. */
export function definerGrantStatements(signature: string): string[] {
  return [`revoke all on function ${signature} from public`, `grant execute on function ${signature} to ${APP_ROLE}`];
}

/**
 * Row-level security: the database itself keeps tenants apart. Every tenant-owned table has RLS
 * enabled and forced, with one policy admitting only rows of the tenant set for the transaction
 * (`set_config('mascot.tenant_id', …, true)`); with no tenant set, nothing is visible or writable.
 *
 * The few lookups that must cross tenants before a tenant is known (an embed id, a user's
 * memberships) are SECURITY DEFINER functions returning only what the caller needs.
 */
export class Migration20261122010000RowLevelSecurity extends Migration {
  override name = 'Migration20261122010000RowLevelSecurity';

  override async up(): Promise<void> {
    // Roles are cluster-wide: several databases (parallel test files) may race to create it.
    this.addSql(`do $$ begin
      create role ${APP_ROLE} nologin nobypassrls;
    exception when duplicate_object or unique_violation then null; end $$`);
    // The login that runs the server switches to the app role on every connection.
    this.addSql(`do $$ begin
      execute format('grant ${APP_ROLE} to %I', current_user);
    exception when others then null; end $$`);
    this.addSql(`grant usage on schema public to ${APP_ROLE}`);
    this.addSql(`grant select, insert, update, delete on all tables in schema public to ${APP_ROLE}`);
    this.addSql(`revoke all on mikro_orm_migrations from ${APP_ROLE}`);

    for (const statement of tenantIsolationStatements('tenant', 'id')) this.addSql(statement);
    for (const table of TENANT_TABLES) {
      for (const statement of tenantIsolationStatements(table)) this.addSql(statement);
    }
    // Tables created by later migrations are granted to the app role as they appear.
    this.addSql(`alter default privileges in schema public grant select, insert, update, delete on tables to ${APP_ROLE}`);

    this.addSql(`create function mascot_resolve_embed(p_embed_id text)
      returns table (tenant_id uuid, bot_id uuid)
      language sql stable security definer set search_path = public
      as $$ select b.tenant_id, b.id from bot b where b.embed_id = p_embed_id $$`);
    this.addSql(`create function mascot_user_memberships(p_user_id uuid)
      returns table (tenant_id uuid, role text, created_at timestamptz)
      language sql stable security definer set search_path = public
      as $$ select m.tenant_id, m.role, m.created_at from membership m where m.user_id = p_user_id order by m.created_at $$`);
    for (const fn of ['mascot_resolve_embed(text)', 'mascot_user_memberships(uuid)']) {
      for (const statement of definerGrantStatements(fn)) this.addSql(statement);
    }
  }
}

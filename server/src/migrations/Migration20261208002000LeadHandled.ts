import { Migration } from '@mikro-orm/migrations';

/**
 * Leads can be marked handled (issue 17, the Console's Leads screen): when and by whom — a member or an
 * API key, one of the two — so a team working through its leads sees which are done. Null while open.
 * The partial index serves the Console's default view, the open leads of a tenant, newest first.
 */
export class Migration20261208002000LeadHandled extends Migration {
  override name = 'Migration20261208002000LeadHandled';

  override async up(): Promise<void> {
    this.addSql(`alter table lead
      add column handled_at timestamptz,
      add column handled_by_user_id uuid,
      add column handled_by_api_key_id uuid,
      add constraint lead_handled_by_one check (
        (handled_at is null and handled_by_user_id is null and handled_by_api_key_id is null)
        or (handled_at is not null and num_nonnulls(handled_by_user_id, handled_by_api_key_id) <= 1))`);
    this.addSql(`create index lead_open_idx on lead (tenant_id, created_at desc, id desc) where handled_at is null`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists lead_open_idx`);
    this.addSql(`alter table lead drop constraint lead_handled_by_one,
      drop column handled_at, drop column handled_by_user_id, drop column handled_by_api_key_id`);
  }
}

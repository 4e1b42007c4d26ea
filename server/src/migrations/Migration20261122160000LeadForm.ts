import { Migration } from '@mikro-orm/migrations';

/**
 * The widget's lead form (server/src/modules/conversations, lead.*): a visitor may leave contact
 * details through a form rather than in a chat message, so a lead no longer always has a source
 * message, and the consent the form asks for is recorded with its time.
 */
export class Migration20261122160000LeadForm extends Migration {
  override name = 'Migration20261122160000LeadForm';

  override async up(): Promise<void> {
    this.addSql(`alter table lead
      alter column source_message_id drop not null,
      add column consented_at timestamptz`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from lead where source_message_id is null`);
    this.addSql(`alter table lead alter column source_message_id set not null, drop column consented_at`);
  }
}

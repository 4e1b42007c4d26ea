import { Migration } from '@mikro-orm/migrations';

/**
 * Partners read conversations (server/src/modules/conversations/conversation-history.*, transcript-export.*):
 * a tenant's conversations newest first across bots, and the export of a date range, walk
 * `(tenant_id, created_at, id)`; one bot's use the existing `conversation_bot_idx`.
 *
 * Deliberately no index on `last_message_at`: the reply path updates it once per reply, and an index on it
 * would make that update non-HOT (a new entry in every index of the table per reply). Ordering by the last
 * message sorts a tenant's (or bot's) rows found through the indexes above instead.
 */
export class Migration20261207200100ConversationHistory extends Migration {
  override name = 'Migration20261207200100ConversationHistory';

  override async up(): Promise<void> {
    this.addSql(`create index conversation_tenant_started_idx on conversation (tenant_id, created_at desc, id desc)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index conversation_tenant_started_idx`);
  }
}

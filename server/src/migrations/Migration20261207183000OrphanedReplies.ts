import { Migration } from '@mikro-orm/migrations';
import { definerGrantStatements } from './Migration20261122010000RowLevelSecurity.ts';

/**
 * Replies cut off by a crash are settled by any live instance (issue 15, finding 6;
 * server/src/modules/conversations/orphaned-replies.ts): `mascot_streaming_replies(after, max_rows)` lists, across
 * tenants, the conversations with replies in `streaming_replies`, for the sweep that asks their producers
 * whether they are alive. Ids only, never content. No index: a partial index on `streaming_replies` would
 * make every reply's two conversation-row updates non-HOT on the hot path; the sweep is one scan a minute.
 */
export class Migration20261207183000OrphanedReplies extends Migration {
  override name = 'Migration20261207183000OrphanedReplies';

  override async up(): Promise<void> {
    // Paged by conversation id (`after`), so a sweep reaches every listed conversation however many there are.
    this.addSql(`create function mascot_streaming_replies(after uuid, max_rows integer)
      returns table (tenant_id uuid, conversation_id uuid, streaming text[])
      language sql stable security definer set search_path = public
      as $$ select c.tenant_id, c.id, c.streaming_replies::text[] from conversation c
            where c.streaming_replies <> '{}' and c.id > after order by c.id limit max_rows $$`);
    for (const statement of definerGrantStatements('mascot_streaming_replies(uuid, integer)')) this.addSql(statement);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function mascot_streaming_replies(uuid, integer)`);
  }
}

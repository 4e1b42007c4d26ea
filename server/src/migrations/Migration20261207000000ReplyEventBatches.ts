import { Migration } from '@mikro-orm/migrations';

/**
 * The token path leaves the database (issue 13; server/src/modules/conversations/REPLY-PATH.md):
 *
 * - A `conversation_event` row now holds a contiguous run of events, `seq` through `last_seq`, as a jsonb
 *   array: a reply's deltas are published at once and stored in coarse batches (every few seconds and at
 *   completion), not a row per token. Existing rows become runs of one.
 * - `conversation.streaming_replies`: the replies being produced right now, each holding a lease of seqs
 *   (`last_event_seq` is advanced by a block when a reply starts). A subscriber resuming mid-reply asks their
 *   producers for the tail not yet stored; a reply listed here whose producer no longer answers was cut
 *   off by a crash and is closed with ReplyFailed by whoever notices.
 *
 * No new table: both tables keep their forced row-level security.
 */
export class Migration20261207000000ReplyEventBatches extends Migration {
  override name = 'Migration20261207000000ReplyEventBatches';

  override async up(): Promise<void> {
    this.addSql(`alter table conversation_event add column last_seq integer`);
    this.addSql(`update conversation_event set last_seq = seq, payload = jsonb_build_array(payload)`);
    this.addSql(`alter table conversation_event
      alter column last_seq set not null,
      add constraint conversation_event_run check (last_seq >= seq)`);
    this.addSql(`alter table conversation add column streaming_replies uuid[] not null default '{}'`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table conversation drop column streaming_replies`);
    // Runs of one go back as they were; longer runs are split into one row per event.
    this.addSql(`create temporary table conversation_event_split on commit drop as
      select e.tenant_id, e.conversation_id, (x.event->>'seq')::integer as seq, x.event->>'type' as type, x.event as payload, e.created_at
      from conversation_event e, jsonb_array_elements(e.payload) as x(event)`);
    this.addSql(`delete from conversation_event`);
    this.addSql(`alter table conversation_event drop constraint conversation_event_run, drop column last_seq`);
    this.addSql(`insert into conversation_event (tenant_id, conversation_id, seq, type, payload, created_at)
      select tenant_id, conversation_id, seq, type, payload, created_at from conversation_event_split`);
  }
}

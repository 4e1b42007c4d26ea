import type { EntityManager } from '@mikro-orm/postgresql';
import { conversationEventSchema, type ConversationEvent } from '@mascot/events';
import { inTenant } from '../../core/db/index.ts';

/** A conversation event before the log numbers it. */
export type UnnumberedEvent = ConversationEvent extends infer E
  ? E extends ConversationEvent
    ? Omit<E, 'seq'>
    : never
  : never;

/**
 * How events sit in `conversation_event`: a row holds a run of consecutive seqs (`seq` through `last_seq`)
 * as a jsonb array, so a reply's tokens cost a row per batch, not a row per token. Runs never overlap;
 * ordering rows by `seq` orders every event.
 *
 * Plain SQL rather than entities on purpose: these run for every reply, and the ORM would build, track
 * and diff an entity per row for what is one multi-row insert or one indexed read.
 */

/** At most this many events per row, so one row stays a modest jsonb value and a replay page stays bounded. */
export const MAX_RUN = 500;
/** Rows per replay page. */
const REPLAY_PAGE_ROWS = 100;

/** Splits events (in seq order) into runs of consecutive seqs of at most MAX_RUN. */
export function eventRuns(events: readonly ConversationEvent[]): ConversationEvent[][] {
  const runs: ConversationEvent[][] = [];
  let run: ConversationEvent[] = [];
  for (const event of events) {
    const previous = run.at(-1);
    if (previous && (event.seq !== previous.seq + 1 || run.length >= MAX_RUN)) {
      runs.push(run);
      run = [];
    }
    run.push(event);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** Stores numbered events inside the caller's tenant transaction: one row per run, one statement. */
export async function storeEvents(tx: EntityManager, tenantId: string, conversationId: string, events: readonly ConversationEvent[]): Promise<void> {
  const runs = eventRuns(events);
  if (runs.length === 0) return;
  await tx.execute(
    `insert into conversation_event (tenant_id, conversation_id, seq, last_seq, type, payload) values ${runs.map(() => '(?, ?, ?, ?, ?, ?::jsonb)').join(', ')}`,
    runs.flatMap((run) => [tenantId, conversationId, run[0]!.seq, run.at(-1)!.seq, run.length === 1 ? run[0]!.type : 'batch', JSON.stringify(run)]),
  );
}

/** Every stored event after `afterSeq`, in seq order, read in pages (each page its own short transaction). */
export async function* storedEventsAfter(em: EntityManager, tenantId: string, conversationId: string, afterSeq: number): AsyncGenerator<ConversationEvent> {
  let after = afterSeq;
  for (;;) {
    const cursor = after;
    // `seq > after - MAX_RUN` bounds the primary-key range scan: a row reaching past `after` starts at most a run before it.
    const rows = await inTenant(em, tenantId, (tx) =>
      tx.execute<{ payload: unknown[]; last: number }[]>(
        'select payload, last_seq as last from conversation_event where conversation_id = ? and seq > ? and last_seq > ? order by seq limit ?',
        [conversationId, cursor - MAX_RUN, cursor, REPLAY_PAGE_ROWS],
      ),
    );
    for (const row of rows) {
      for (const raw of row.payload) {
        const event = conversationEventSchema.parse(raw);
        if (event.seq > after) yield event;
      }
      after = Math.max(after, row.last);
    }
    if (rows.length < REPLAY_PAGE_ROWS) return;
  }
}

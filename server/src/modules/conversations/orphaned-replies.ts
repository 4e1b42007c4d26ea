import type { MikroORM } from '@mikro-orm/postgresql';
import { startRepeatingSweep } from '../../core/jobs/index.ts';
import type { Logger } from '../../core/logging/index.ts';
import type { ConversationEventLog } from './conversation-event-log.ts';

/*
 * Replies left open by a crash (REPLY-PATH.md, "When the producing instance dies mid-reply"; issue 15, finding 6).
 * A reply listed in `conversation.streaming_replies` has a producer listening for tail requests from before it was
 * listed until after it is settled; one that stays silent died with its instance. A resuming visitor already closes
 * such a reply; this sweep closes those nobody resumes, on every instance: at start (the instance that crashed, or
 * any other, settles what it left) and then periodically.
 *
 * Never a live producer's reply: a reply is closed only when it stayed silent in two sweeps at least
 * `confirmAfterMs` apart (a producer whose event loop stalls a moment survives), and silence counts only when the
 * sweep heard its own probe through the bus (an outage is not a death). Closing is `ConversationEventLog.interrupt`,
 * a conditional update that takes the reply off `streaming_replies`: exactly one instance writes the ReplyFailed,
 * however many sweep or resume at once.
 */

export interface OrphanedReplySweepOptions {
  /** Between sweeps when nothing is suspect. */
  intervalMs: number;
  /** How long a reply must stay silent (between two sweeps) before it is closed. */
  confirmAfterMs: number;
}

/** Conversations read per page; a sweep pages through all of them. */
const PAGE_SIZE = 500;
const BEFORE_EVERY_UUID = '00000000-0000-0000-0000-000000000000';
/** Tail requests in flight at once (each waits up to the log's tail timeout when a producer is silent). */
const CONCURRENCY = 16;

type StreamingRow = { tenant_id: string; conversation_id: string; streaming: string[] };

export class OrphanedReplySweep {
  /** Replies found silent, and when they were first: closed once still silent `confirmAfterMs` later. */
  private readonly suspects = new Map<string, number>();

  constructor(
    private readonly orm: MikroORM,
    private readonly events: ConversationEventLog,
    private readonly logger: Logger,
    private readonly options: OrphanedReplySweepOptions,
  ) {}

  /** Whether a reply is waiting for its confirming sweep (the next one then comes after `confirmAfterMs`). */
  get hasSuspects(): boolean {
    return this.suspects.size > 0;
  }

  /** One sweep; returns how many replies it closed. */
  async sweep(): Promise<number> {
    const listed = new Set<string>();
    let closed = 0;
    for (let after = BEFORE_EVERY_UUID; ;) {
      const rows = await this.orm.em.fork().execute<StreamingRow[]>(
        'select tenant_id, conversation_id, streaming from mascot_streaming_replies(?, ?)',
        [after, PAGE_SIZE],
      );
      closed += await this.checkAll(rows, listed);
      if (rows.length < PAGE_SIZE) break;
      after = rows.at(-1)!.conversation_id;
    }
    // Settled meanwhile (or closed by someone else): no longer suspect.
    for (const id of this.suspects.keys()) if (!listed.has(id)) this.suspects.delete(id);
    return closed;
  }

  /** Asks about one page of conversations, CONCURRENCY at a time; adds their replies to `listed`. */
  private async checkAll(rows: StreamingRow[], listed: Set<string>): Promise<number> {
    let closed = 0;
    const queue = [...rows];
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        for (const id of row.streaming) listed.add(id);
        const closedHere = await this.check(row).catch((error: unknown) => {
          this.logger.warn({ err: error, conversationId: row.conversation_id }, 'could not check a streaming reply; the next sweep retries');
          return 0;
        });
        closed += closedHere;
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, rows.length) }, worker));
    return closed;
  }

  private async check(row: StreamingRow): Promise<number> {
    const askedAt = Date.now();
    const silent = await this.events.silentProducers(row.tenant_id, row.conversation_id, row.streaming);
    if (silent === null) return 0; // the bus did not deliver: silence proves nothing
    const silentNow = new Set(silent);
    let closed = 0;
    for (const messageId of row.streaming) {
      if (!silentNow.has(messageId)) {
        this.suspects.delete(messageId);
        continue;
      }
      const since = this.suspects.get(messageId);
      if (since === undefined) {
        this.suspects.set(messageId, askedAt);
      } else if (askedAt - since >= this.options.confirmAfterMs) {
        this.suspects.delete(messageId);
        const failed = await this.events.interrupt(this.orm.em.fork(), row.tenant_id, row.conversation_id, messageId);
        if (failed) closed += 1;
      }
    }
    return closed;
  }
}

/**
 * Sweeps at once, then every `intervalMs` (after `confirmAfterMs` while a reply is suspect). Every instance runs
 * it. Returns the stop function, which waits for a sweep in progress.
 */
export function startOrphanedReplySweeps(
  orm: MikroORM,
  events: ConversationEventLog,
  logger: Logger,
  options: OrphanedReplySweepOptions,
): () => Promise<void> {
  const sweeper = new OrphanedReplySweep(orm, events, logger, options);
  return startRepeatingSweep(
    () =>
      sweeper.sweep().then(
        (closed) => closed > 0 && logger.warn({ replies: closed }, 'closed replies left open by a stopped instance as failed'),
        (error: unknown) => logger.warn({ err: error }, 'sweeping for replies left open failed; the next sweep retries'),
      ),
    () => (sweeper.hasSuspects ? options.confirmAfterMs : options.intervalMs),
  );
}

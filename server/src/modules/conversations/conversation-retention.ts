import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../../core/logging/index.ts';

/**
 * How long conversation events stay replayable. A visitor whose socket dropped reconnects within
 * seconds; a reloaded page resumes within the visitor token's life. The messages themselves are kept
 * permanently in `message`: the event log only bridges reconnects.
 */
export const EVENT_RETENTION_MS = 24 * 60 * 60 * 1000;
const SWEEP_INTERVAL_MS = 10 * 60 * 1000;
const PRUNE_BATCH = 5_000;

/** Calls a SECURITY DEFINER prune function (it sees every tenant) until a batch comes back short. */
async function pruneInBatches(orm: MikroORM, call: string, args: unknown[]): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await orm.em.fork().execute<{ deleted: number }[]>(`select ${call} as deleted`, [...args, PRUNE_BATCH]);
    const deleted = row?.deleted ?? 0;
    total += deleted;
    if (deleted < PRUNE_BATCH) return total;
  }
}

/**
 * Retention of the reply path's transient rows: conversation events older than EVENT_RETENTION_MS,
 * answer-cache rows past their expiry or of versions no longer live.
 */
export async function pruneConversationData(orm: MikroORM, now = new Date()): Promise<{ events: number; cachedAnswers: number }> {
  const events = await pruneInBatches(orm, 'mascot_prune_conversation_events(?, ?)', [new Date(now.getTime() - EVENT_RETENTION_MS)]);
  const cachedAnswers = await pruneInBatches(orm, 'mascot_prune_answer_cache(?)', []);
  return { events, cachedAnswers };
}

/** Prunes now and then; every instance may run it (deleting twice is harmless). Returns the stop function. */
export function startConversationRetention(orm: MikroORM, logger: Logger, intervalMs = SWEEP_INTERVAL_MS): () => void {
  const sweep = () =>
    pruneConversationData(orm).then(
      (pruned) => (pruned.events > 0 || pruned.cachedAnswers > 0) && logger.info(pruned, 'pruned conversation data past retention'),
      (error: unknown) => logger.warn({ err: error }, 'pruning conversation data failed; the next sweep retries'),
    );
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

import type { MikroORM } from '@mikro-orm/postgresql';
import { startRepeatingSweep, type JobConsumer, type JobQueue } from '../../core/jobs/index.ts';
import type { Logger } from '../../core/logging/index.ts';
import { botPurgeJobSchema, type BotLifecycleService, type BotPurgeJob } from './bot-lifecycle.service.ts';

/*
 * Deleted bots are purged by durable jobs (BOT_PURGE_QUEUE). The schedule lives in PostgreSQL
 * (`bot.purge_after`), not in the queue, which has no delayed delivery: every instance looks for purges
 * that are due every `sweepMs` (and once at start) through `mascot_due_bot_purges` and hands each to the
 * queue, deduplicated by bot and deletion instant. So a purge survives restarts in both transports, a
 * purge that failed repeatedly is handed over again by a later sweep, and a restored bot is simply never
 * listed. Waiting a week inside a job instead would hold a consumer slot for that week and count every
 * restart of the instance as an attempt.
 */
export const BOT_PURGE_QUEUE = 'bot-purge';
/** Due purges handed to the queue per sweep; the rest follow on the next sweep. */
const SWEEP_BATCH = 100;

export interface BotPurgeDeps {
  orm: MikroORM;
  jobs: JobQueue;
  lifecycle: BotLifecycleService;
  logger: Logger;
  /** How often every instance looks for due purges (config: MASCOT_BOT_PURGE_SWEEP_MS). */
  sweepMs: number;
}

async function runPurge(deps: BotPurgeDeps, payload: unknown): Promise<void> {
  const parsed = botPurgeJobSchema.safeParse(payload);
  if (!parsed.success) {
    deps.logger.warn({ issues: parsed.error.issues }, 'dropped a malformed bot purge job');
    return;
  }
  if (await deps.lifecycle.purge(deps.orm.em.fork(), parsed.data)) {
    deps.logger.info({ botId: parsed.data.botId }, 'purged a deleted bot and all its data');
  }
}

/** Hands every purge that is due to the queue; returns how many. */
async function sweep(deps: BotPurgeDeps): Promise<number> {
  const due = await deps.orm.em.fork().execute<{ tenant_id: string; bot_id: string; deleted_at: Date }[]>(
    'select tenant_id, bot_id, deleted_at from mascot_due_bot_purges(?, ?)',
    [new Date(), SWEEP_BATCH],
  );
  for (const row of due) {
    const deletedAt = new Date(row.deleted_at).toISOString();
    await deps.jobs.enqueue(
      BOT_PURGE_QUEUE,
      { tenantId: row.tenant_id, botId: row.bot_id, deletedAt } satisfies BotPurgeJob,
      { dedupeId: `${row.bot_id}:${Date.parse(deletedAt)}` },
    );
  }
  return due.length;
}

/** Consumes purge jobs and starts the sweep. Resolves to the stop function. */
export async function startBotPurges(deps: BotPurgeDeps): Promise<() => Promise<void>> {
  const consumer: JobConsumer = await deps.jobs.consume(BOT_PURGE_QUEUE, ({ payload }) => runPurge(deps, payload), {
    maxAttempts: 5,
    // Given up for now, not for good: the bot is still listed as due, and a sweep after the dedupe window hands it over again.
    onDeadLetter: (payload, error) => deps.logger.error({ err: error, payload }, 'a bot purge failed repeatedly; a later sweep retries it'),
  });
  const stopSweeps = startRepeatingSweep(
    () =>
      sweep(deps).then(
        (handed) => handed > 0 && deps.logger.info({ bots: handed }, 'handed due bot purges to the job queue'),
        (error: unknown) => deps.logger.warn({ err: error }, 'looking for due bot purges failed; the next sweep retries'),
      ),
    () => deps.sweepMs,
  );
  return async () => {
    await stopSweeps();
    await consumer.stop();
  };
}

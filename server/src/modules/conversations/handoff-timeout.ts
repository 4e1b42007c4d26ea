import { setTimeout as sleep } from 'node:timers/promises';
import type { MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { inTenant } from '../../core/db/index.ts';
import type { JobConsumer, JobQueue } from '../../core/jobs/index.ts';
import type { Logger } from '../../core/logging/index.ts';
import { Conversation } from './conversation.entity.ts';
import { handoffSettingsOf } from './handoff-settings.service.ts';
import { endUntakenWait, HANDOFF_TIMEOUT_QUEUE, sameWait, type HandoffChannels, type HandoffTimeoutJob } from './handoff-changes.ts';

/*
 * A wait for a person nobody takes ends after the tenant's `waitTimeoutSeconds`: the conversation goes
 * back to the bot and the visitor is offered the contact form (endUntakenWait). One durable job per wait
 * (HANDOFF_TIMEOUT_QUEUE, enqueued after the wait is committed): the handler sleeps until the wait is due,
 * looking every few seconds whether it is still the same wait (an agent took it, the visitor cancelled),
 * so a finished wait frees its slot early. With JetStream a crashed instance's jobs move to another
 * instance; the in-process queue keeps nothing over a restart, so every start schedules the waits still
 * running again (resumeWaitingHandoffs). Ending a wait is one conditional update: running twice is harmless.
 */

/** Sleeping waits are cheap; this many run at once per instance. */
const CONCURRENCY = 256;
/** How often a sleeping job checks that its wait is still running. */
const RECHECK_MS = 5_000;

const jobSchema = z.object({ tenantId: z.uuid(), conversationId: z.uuid(), requestedAt: z.iso.datetime() });

export interface HandoffTimeoutDeps {
  orm: MikroORM;
  jobs: JobQueue;
  channels: HandoffChannels;
  logger: Logger;
}

async function stillWaiting(deps: HandoffTimeoutDeps, job: HandoffTimeoutJob): Promise<boolean> {
  const count = await inTenant(deps.orm.em.fork(), job.tenantId, (tx) =>
    tx.count(Conversation, { id: job.conversationId, status: 'WAITING_FOR_AGENT', handoffRequestedAt: sameWait(job) }),
  );
  return count > 0;
}

async function runTimeout(deps: HandoffTimeoutDeps, payload: unknown, signal: AbortSignal): Promise<void> {
  const parsed = jobSchema.safeParse(payload);
  if (!parsed.success) {
    deps.logger.warn({ issues: parsed.error.issues }, 'dropped a malformed handoff timeout job');
    return;
  }
  const job = parsed.data;
  const { waitTimeoutSeconds } = await inTenant(deps.orm.em.fork(), job.tenantId, (tx) => handoffSettingsOf(tx, job.tenantId));
  const due = Date.parse(job.requestedAt) + waitTimeoutSeconds * 1000;
  while (Date.now() < due) {
    if (!(await stillWaiting(deps, job))) return;
    // Aborted at shutdown (thrown): JetStream hands the job to another instance, the next start schedules it again.
    await sleep(Math.min(RECHECK_MS, due - Date.now()), undefined, { signal });
  }
  if (await endUntakenWait(deps.orm.em.fork(), deps.channels, job)) {
    deps.logger.info({ conversationId: job.conversationId }, 'nobody took the handoff in time; back with the bot');
  }
}

/**
 * Consumes the handoff timeouts and schedules those of the waits already running. Resolves to the stop
 * function: it wakes the sleeping jobs at once (they are handed on, not finished), so a shutdown does not
 * wait the job queue's grace period for them.
 */
export async function startHandoffTimeouts(deps: HandoffTimeoutDeps): Promise<() => Promise<void>> {
  const stopping = new AbortController();
  const handler = ({ payload, signal }: { payload: unknown; signal: AbortSignal }) =>
    runTimeout(deps, payload, AbortSignal.any([signal, stopping.signal]));
  const consumer: JobConsumer = await deps.jobs.consume(HANDOFF_TIMEOUT_QUEUE, handler, {
    concurrency: CONCURRENCY,
    maxAttempts: 5,
  });
  const waiting = await deps.orm.em.fork().execute<{ tenant_id: string; conversation_id: string; requested_at: Date }[]>(
    'select tenant_id, conversation_id, requested_at from mascot_waiting_handoffs()',
  );
  for (const row of waiting) {
    const requestedAt = new Date(row.requested_at).toISOString();
    await deps.jobs.enqueue(
      HANDOFF_TIMEOUT_QUEUE,
      { tenantId: row.tenant_id, conversationId: row.conversation_id, requestedAt } satisfies HandoffTimeoutJob,
      { dedupeId: `${row.conversation_id}:${requestedAt}` },
    );
  }
  if (waiting.length > 0) deps.logger.info({ waits: waiting.length }, 'scheduled the timeouts of running handoff waits');
  return async () => {
    stopping.abort(new Error('shutting down'));
    await consumer.stop();
  };
}

import type { Logger } from '../logging/index.ts';
import {
  DEFAULT_DEDUPE_WINDOW_MS,
  DEFAULT_SHUTDOWN_GRACE_MS,
  encodePayload,
  resolveConsumeOptions,
  retryDelay,
  validateDedupeId,
  validateQueueName,
  type JobConsumer,
  type JobHandler,
  type JobQueue,
  type JobQueueBaseOptions,
  type ResolvedConsumeOptions,
} from './job-queue.ts';
import { JobSlots } from './job-slots.ts';

export interface InProcessJobQueueOptions extends JobQueueBaseOptions {
  logger: Logger;
  /** How long a dedupeId is remembered. Default 2 minutes, like the JetStream stream's duplicate window. */
  dedupeWindowMs?: number;
}

interface QueuedJob {
  id: number;
  wire: string;
  /** Attempts already made. */
  attempts: number;
}

interface QueueState {
  pending: QueuedJob[];
  consumers: InProcessConsumer[];
  /** Rotates which consumer is offered the next job, so consumers of one queue share the work. */
  nextConsumer: number;
}

interface InProcessConsumer extends JobConsumer {
  accepts(): boolean;
  start(job: QueuedJob): void;
}

/**
 * The single-process job queue: the same retry, backoff, concurrency and dead-letter semantics as the
 * JetStream transport, kept in memory. NOT durable: jobs queued, waiting for a retry or running when the
 * process stops are lost. Callers keep job state in PostgreSQL and re-enqueue unfinished jobs at start.
 */
export function createInProcessJobQueue(options: InProcessJobQueueOptions): JobQueue {
  const { logger } = options;
  const graceMs = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
  const dedupeWindowMs = options.dedupeWindowMs ?? DEFAULT_DEDUPE_WINDOW_MS;
  const queues = new Map<string, QueueState>();
  /** `${queue}\n${dedupeId}` → when it may be used again; insertion order is expiry order. */
  const dedupe = new Map<string, number>();
  const retryTimers = new Set<NodeJS.Timeout>();
  let nextJobId = 1;
  let closed = false;
  let closing: Promise<void> | undefined;

  const ensureOpen = () => {
    if (closed) throw new Error('The job queue is closed.');
  };
  const stateOf = (queue: string): QueueState => {
    let state = queues.get(queue);
    if (!state) queues.set(queue, (state = { pending: [], consumers: [], nextConsumer: 0 }));
    return state;
  };

  /** Hands pending jobs to consumers with a free slot, round-robin. */
  const pump = (state: QueueState) => {
    while (!closed && state.pending.length > 0) {
      const count = state.consumers.length;
      let taker: InProcessConsumer | undefined;
      for (let i = 0; i < count && !taker; i++) {
        const candidate = state.consumers[(state.nextConsumer + i) % count]!;
        if (candidate.accepts()) {
          taker = candidate;
          state.nextConsumer = (state.nextConsumer + i + 1) % count;
        }
      }
      if (!taker) return;
      taker.start(state.pending.shift()!);
    }
  };

  const deadLetter = async (queue: string, jobId: number, settings: ResolvedConsumeOptions, payload: unknown, error: unknown) => {
    try {
      if (settings.onDeadLetter) await settings.onDeadLetter(payload, error);
      else logger.error({ queue, jobId, err: error }, 'job failed on its last attempt and was dead-lettered');
    } catch (deadLetterError) {
      logger.error({ queue, jobId, err: deadLetterError, jobError: error }, 'dead-letter handler failed; the job is dropped');
    }
  };

  const createConsumer = (queue: string, state: QueueState, handler: JobHandler, settings: ResolvedConsumeOptions) => {
    const slots = new JobSlots(settings.concurrency);
    let stopping = false;
    let stopped: Promise<void> | undefined;

    const runJob = async (job: QueuedJob, signal: AbortSignal) => {
      const attempt = job.attempts + 1;
      const payload: unknown = JSON.parse(job.wire); // a fresh copy per delivery, as NATS would carry it
      try {
        await handler({ payload, attempt, signal });
        return;
      } catch (error) {
        if (signal.aborted && stopping) {
          // Aborted by stop/close, not a failure of the job: hand it back untouched unless the queue is closing.
          if (!closed) {
            state.pending.unshift(job);
            queueMicrotask(() => pump(state));
          }
          return;
        }
        if (attempt >= settings.maxAttempts) {
          await deadLetter(queue, job.id, settings, payload, error);
          return;
        }
        if (closed) return; // no retries after close: callers re-enqueue unfinished work at start
        const delay = retryDelay(settings.backoffMs, attempt);
        logger.warn({ queue, jobId: job.id, attempt, retryInMs: delay, err: error }, 'job failed; retrying');
        const timer = setTimeout(() => {
          retryTimers.delete(timer);
          state.pending.push({ ...job, attempts: attempt });
          pump(state);
        }, delay);
        retryTimers.add(timer);
      }
    };

    const consumer: InProcessConsumer = {
      accepts: () => !stopping && slots.hasFree(),
      start: (job) => void slots.run((signal) => runJob(job, signal), () => pump(state)),
      stop() {
        stopped ??= (async () => {
          stopping = true;
          const leftovers = await slots.drain(graceMs);
          if (leftovers.length > 0) logger.warn({ queue, jobs: leftovers.length }, 'job handlers ignored the abort signal');
          const index = state.consumers.indexOf(consumer);
          if (index !== -1) state.consumers.splice(index, 1);
          pump(state); // jobs this consumer handed back go to the others
        })();
        return stopped;
      },
    };
    return consumer;
  };

  return {
    kind: 'in-process',

    async enqueue(queue, payload, enqueueOptions = {}) {
      ensureOpen();
      validateQueueName(queue);
      validateDedupeId(enqueueOptions.dedupeId);
      const wire = encodePayload(payload);
      if (enqueueOptions.dedupeId !== undefined) {
        const now = Date.now();
        for (const [key, expiresAt] of dedupe) {
          if (expiresAt > now) break;
          dedupe.delete(key);
        }
        const key = `${queue}\n${enqueueOptions.dedupeId}`;
        if (dedupe.has(key)) return;
        dedupe.set(key, now + dedupeWindowMs);
      }
      const state = stateOf(queue);
      state.pending.push({ id: nextJobId++, wire, attempts: 0 });
      pump(state);
    },

    async consume(queue, handler, consumeOptions) {
      ensureOpen();
      validateQueueName(queue);
      const settings = resolveConsumeOptions(consumeOptions);
      const state = stateOf(queue);
      const consumer = createConsumer(queue, state, handler, settings);
      state.consumers.push(consumer);
      pump(state);
      return { stop: () => consumer.stop() };
    },

    close() {
      closing ??= (async () => {
        // Stop taking jobs first, then wait for the running ones; what is still queued is dropped.
        const consumers = [...queues.values()].flatMap((state) => state.consumers);
        const stopping = consumers.map((consumer) => consumer.stop());
        closed = true;
        for (const timer of retryTimers) clearTimeout(timer);
        retryTimers.clear();
        await Promise.all(stopping);
        const dropped = [...queues.values()].reduce((sum, state) => sum + state.pending.length, 0);
        if (dropped > 0) logger.info({ jobs: dropped }, 'in-process job queue closed with jobs still queued (callers re-enqueue them at start)');
        queues.clear();
      })();
      return closing;
    },
  };
}

import {
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  type ConsumerConfig,
  type ConsumerMessages,
  type JetStreamManager,
  type JsMsg,
  type StreamInfo,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../logging/index.ts';
import {
  DEFAULT_SHUTDOWN_GRACE_MS,
  JobAttemptsExhaustedError,
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
import { DEFAULT_JOBS_SUBJECT_PREFIX, jobsStreamConfig, nanos, type JobsStreamConfig } from './stream-config.ts';

export interface JetStreamJobQueueOptions extends JobQueueBaseOptions {
  logger: Logger;
  /** Stream name; default MASCOT_JOBS. Tests use a unique one per run. */
  streamName?: string;
  /** First subject token; default `jobs` (queue `x` is subject `jobs.x`). Must not overlap another stream's subjects. */
  subjectPrefix?: string;
  /** The stream's duplicate window (how long a dedupeId is remembered). Default 2 minutes. */
  duplicateWindowMs?: number;
  /** Servers of a NATS cluster keeping each job; default 1. A stream created with another count is updated to it. */
  streamReplicas?: number;
}

/** How long one pull request waits on the server for a job before the next is sent (the client's default). */
const PULL_EXPIRES_MS = 30_000;
/** Pause after a failed pull (connection lost, consumer missing) before trying again. */
const PULL_ERROR_PAUSE_MS = 1_000;

const isApiError = (error: unknown, code: number) => error instanceof JetStreamApiError && error.code === code;

/**
 * A job queue on JetStream over a connection the caller owns (close() stops the consumers but leaves the
 * connection open). Creates or updates the jobs stream before resolving.
 */
export async function createJetStreamJobQueue(nc: NatsConnection, options: JetStreamJobQueueOptions): Promise<JobQueue> {
  return buildJetStreamJobQueue(nc, options, false);
}

/**
 * A job queue on JetStream over its own connection to `url`, drained on close(). Creates or updates the
 * jobs stream before resolving; fails when the server has no JetStream.
 */
export async function connectJetStreamJobQueue(url: string, options: JetStreamJobQueueOptions): Promise<JobQueue> {
  const nc = await connect({ servers: url, name: 'mascot-jobs', maxReconnectAttempts: -1 });
  void (async () => {
    for await (const status of nc.status()) options.logger.info({ nats: status.type }, 'nats status (jobs)');
  })();
  try {
    return await buildJetStreamJobQueue(nc, options, true);
  } catch (error) {
    await nc.close();
    throw error;
  }
}

/** Creates the stream, or brings an existing one's subjects, duplicate window and description up to date. */
export async function ensureJobsStream(jsm: JetStreamManager, config: JobsStreamConfig, logger: Logger): Promise<void> {
  const read = () =>
    jsm.streams.info(config.name).catch((error: unknown) => {
      if (isApiError(error, JetStreamApiCodes.StreamNotFound)) return undefined;
      throw error;
    });
  let info: StreamInfo | undefined = await read();
  if (!info) {
    try {
      await jsm.streams.add(config);
      logger.info({ stream: config.name }, 'jobs stream created');
      return;
    } catch (error) {
      info = await read(); // created concurrently by another instance (or report the original failure)
      if (!info) throw error;
    }
  }
  const current = info.config;
  if (current.retention !== config.retention || current.storage !== config.storage) {
    throw new Error(
      `Stream ${config.name} exists with retention "${current.retention}" and storage "${current.storage}"; jobs need ` +
        `"${config.retention}" and "${config.storage}", which cannot be changed in place. Let its consumers finish, ` +
        `then delete it (nats stream rm ${config.name}) and restart to recreate it.`,
    );
  }
  const sameSubjects = JSON.stringify([...(current.subjects ?? [])].sort()) === JSON.stringify([...config.subjects].sort());
  const sameReplicas = current.num_replicas === (config.num_replicas ?? 1);
  if (!sameSubjects || !sameReplicas || current.duplicate_window !== config.duplicate_window || current.description !== config.description) {
    await jsm.streams.update(config.name, {
      ...current,
      subjects: config.subjects,
      // JetStream moves a stream to more or fewer replicas in place (NATS 2.10+).
      num_replicas: config.num_replicas ?? 1,
      duplicate_window: config.duplicate_window,
      description: config.description,
    });
    logger.info({ stream: config.name }, 'jobs stream updated');
  }
}

/** Creates the queue's durable pull consumer, or updates ack wait and max deliver when they changed. */
async function ensureConsumer(jsm: JetStreamManager, stream: string, wanted: Partial<ConsumerConfig> & { durable_name: string }) {
  const read = () =>
    jsm.consumers.info(stream, wanted.durable_name).catch((error: unknown) => {
      if (isApiError(error, JetStreamApiCodes.ConsumerNotFound)) return undefined;
      throw error;
    });
  let info = await read();
  if (!info) {
    try {
      await jsm.consumers.add(stream, wanted);
      return;
    } catch (error) {
      info = await read(); // created concurrently by another instance (or report the original failure)
      if (!info) throw error;
    }
  }
  if (info.config.filter_subject !== wanted.filter_subject) {
    throw new Error(
      `Consumer ${wanted.durable_name} on stream ${stream} filters "${info.config.filter_subject}", expected ` +
        `"${wanted.filter_subject}"; delete it (nats consumer rm ${stream} ${wanted.durable_name}).`,
    );
  }
  if (info.config.ack_wait !== wanted.ack_wait || info.config.max_deliver !== wanted.max_deliver) {
    await jsm.consumers.update(stream, wanted.durable_name, { ack_wait: wanted.ack_wait, max_deliver: wanted.max_deliver });
  }
}

async function buildJetStreamJobQueue(nc: NatsConnection, options: JetStreamJobQueueOptions, ownsConnection: boolean): Promise<JobQueue> {
  const { logger } = options;
  const graceMs = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
  const prefix = options.subjectPrefix ?? DEFAULT_JOBS_SUBJECT_PREFIX;
  const streamConfig = jobsStreamConfig({
    streamName: options.streamName,
    subjectPrefix: prefix,
    duplicateWindowMs: options.duplicateWindowMs,
    replicas: options.streamReplicas,
  });
  const streamName = streamConfig.name;
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await ensureJobsStream(jsm, streamConfig, logger);

  const consumers = new Set<JobConsumer>();
  let closed = false;
  let closing: Promise<void> | undefined;
  const ensureOpen = () => {
    if (closed) throw new Error('The job queue is closed.');
  };
  /** Acks and naks are fire-and-forget; on a closed connection they throw, and redelivery takes over. */
  const quietly = (what: string, action: () => void) => {
    try {
      action();
    } catch (error) {
      logger.debug({ err: error }, `could not ${what} a job message; the server redelivers it after the ack wait`);
    }
  };

  const startConsumer = async (queue: string, handler: JobHandler, settings: ResolvedConsumeOptions): Promise<JobConsumer> => {
    const wanted = {
      durable_name: queue,
      description: `Mascot job queue ${queue}`,
      filter_subject: `${prefix}.${queue}`,
      ack_policy: 'explicit',
      deliver_policy: 'all',
      ack_wait: nanos(settings.ackWaitMs),
      // One delivery more than attempts: if the last attempt's worker dies before reporting back, the
      // extra delivery dead-letters the job. Without it the message would stay in the stream forever.
      max_deliver: settings.maxAttempts + 1,
    } satisfies Partial<ConsumerConfig>;
    await ensureConsumer(jsm, streamName, wanted);
    let consumer = await js.consumers.get(streamName, queue);
    ensureOpen(); // close() ran while the consumer was being set up

    const slots = new JobSlots(settings.concurrency);
    const inflight = new Set<JsMsg>();
    const heartbeatMs = Math.max(100, Math.floor(settings.ackWaitMs / 3));
    let stopping = false;
    let stopped: Promise<void> | undefined;
    let currentPull: ConsumerMessages | undefined;
    let wakePause: (() => void) | undefined;

    const deadLetter = async (msg: JsMsg, payload: unknown, error: unknown): Promise<boolean> => {
      try {
        if (settings.onDeadLetter) await settings.onDeadLetter(payload, error);
        else logger.error({ queue, seq: msg.seq, err: error }, 'job failed on its last attempt and was dead-lettered');
        return true;
      } catch (deadLetterError) {
        logger.error({ queue, seq: msg.seq, err: deadLetterError, jobError: error }, 'dead-letter handler failed');
        return false;
      }
    };

    const processMessage = async (msg: JsMsg, signal: AbortSignal) => {
      const attempt = msg.info.deliveryCount;
      inflight.add(msg);
      // Resets the server's ack timer while the handler runs, so long jobs are not redelivered meanwhile.
      const heartbeat = setInterval(() => quietly('extend', () => msg.working()), heartbeatMs);
      try {
        let payload: unknown;
        try {
          payload = msg.json();
        } catch (error) {
          await deadLetter(msg, msg.string(), error); // not JSON: no attempt can succeed
          quietly('terminate', () => msg.term());
          return;
        }
        if (attempt > settings.maxAttempts) {
          // The reserved extra delivery: the last attempt never reported back, or its dead-lettering failed.
          const delivered = await deadLetter(msg, payload, new JobAttemptsExhaustedError(queue, attempt - 1));
          if (!delivered) logger.error({ queue, seq: msg.seq }, 'dropping a job that could not be dead-lettered');
          quietly('terminate', () => msg.term());
          return;
        }
        try {
          await handler({ payload, attempt, signal });
        } catch (error) {
          if (signal.aborted && stopping) {
            quietly('return', () => msg.nak()); // shutting down: hand it to another instance now
            return;
          }
          const delay = retryDelay(settings.backoffMs, attempt);
          if (attempt < settings.maxAttempts) {
            logger.warn({ queue, seq: msg.seq, attempt, retryInMs: delay, err: error }, 'job failed; retrying');
            quietly('retry', () => msg.nak(delay));
          } else if (await deadLetter(msg, payload, error)) {
            quietly('terminate', () => msg.term()); // removes it from the WorkQueue stream
          } else {
            quietly('retry', () => msg.nak(delay)); // the reserved delivery tries the dead letter once more
          }
          return;
        }
        try {
          await msg.ackAck();
        } catch (error) {
          logger.warn({ queue, seq: msg.seq, err: error }, 'job ack not confirmed; it may run again');
        }
      } finally {
        clearInterval(heartbeat);
        inflight.delete(msg);
      }
    };

    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wakePause = () => (clearTimeout(timer), resolve());
      });

    // One pull for one job at a time, and only while a slot is free: an instance never holds jobs it
    // cannot start, so idle instances get them instead and a crash strands at most `concurrency` jobs.
    const pullLoop = async () => {
      while (!stopping) {
        await slots.waitForFree();
        if (stopping) break;
        let msg: JsMsg | undefined;
        try {
          const pull = await consumer.fetch({ max_messages: 1, expires: PULL_EXPIRES_MS });
          currentPull = pull;
          if (stopping) void pull.close();
          for await (const m of pull) {
            msg = m;
            break;
          }
        } catch (error) {
          if (stopping || nc.isClosed()) break;
          logger.warn({ queue, err: error }, 'pulling jobs failed; retrying');
          await pause(PULL_ERROR_PAUSE_MS);
          if (stopping) break;
          try {
            await ensureConsumer(jsm, streamName, wanted);
            consumer = await js.consumers.get(streamName, queue);
          } catch (ensureError) {
            logger.warn({ queue, err: ensureError }, 'job consumer unavailable');
          }
          continue;
        } finally {
          currentPull = undefined;
        }
        if (!msg) {
          if (nc.isClosed()) break;
          continue;
        }
        if (stopping) {
          const late = msg;
          quietly('return', () => late.nak());
          break;
        }
        const job = msg;
        slots.run((signal) => processMessage(job, signal));
      }
    };
    const looping = pullLoop().catch((error: unknown) => logger.error({ queue, err: error }, 'job pull loop crashed'));

    const jobConsumer: JobConsumer = {
      stop() {
        stopped ??= (async () => {
          stopping = true;
          if (currentPull) void currentPull.close();
          wakePause?.();
          slots.wakeAll();
          await looping;
          const leftovers = await slots.drain(graceMs);
          if (leftovers.length > 0) logger.warn({ queue, jobs: leftovers.length }, 'job handlers ignored the abort signal');
          // Still running after the abort: let another instance have them now instead of after the ack wait.
          for (const msg of inflight) quietly('return', () => msg.nak());
          consumers.delete(jobConsumer);
        })();
        return stopped;
      },
    };
    consumers.add(jobConsumer);
    return jobConsumer;
  };

  return {
    kind: 'jetstream',

    async enqueue(queue, payload, enqueueOptions = {}) {
      ensureOpen();
      validateQueueName(queue);
      validateDedupeId(enqueueOptions.dedupeId);
      const wire = encodePayload(payload);
      // Nats-Msg-Id is deduplicated per stream, so the queue is part of it.
      const ack = await js.publish(
        `${prefix}.${queue}`,
        wire,
        enqueueOptions.dedupeId === undefined ? undefined : { msgID: `${queue}:${enqueueOptions.dedupeId}` },
      );
      if (ack.duplicate) logger.debug({ queue, dedupeId: enqueueOptions.dedupeId }, 'duplicate job enqueue ignored');
    },

    async consume(queue, handler, consumeOptions) {
      ensureOpen();
      validateQueueName(queue);
      return startConsumer(queue, handler, resolveConsumeOptions(consumeOptions));
    },

    close() {
      closing ??= (async () => {
        closed = true;
        await Promise.all([...consumers].map((consumer) => consumer.stop()));
        if (ownsConnection && !nc.isClosed()) {
          try {
            await nc.drain();
          } catch (error) {
            logger.warn({ err: error }, 'draining the jobs connection failed');
          }
        }
      })();
      return closing;
    },
  };
}

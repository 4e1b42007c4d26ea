/**
 * Durable background work with one interface and two transports: JetStream (when NATS_URL is set) and an
 * in-process queue (the embedded single-process default).
 *
 * Delivery is AT LEAST ONCE on both: a job may run again after a crash, a lost ack or a shutdown abort, so
 * every handler must be idempotent (check state in PostgreSQL, use upserts, make side effects conditional).
 *
 * Durability differs. JetStream keeps jobs across restarts (a crash before ack redelivers to another
 * instance once the ack wait expires). The in-process queue keeps jobs in memory only: whatever is queued,
 * waiting for a retry or running when the process stops is gone. Callers that need durability in embedded
 * mode keep job state in PostgreSQL and re-enqueue unfinished jobs at start (the server's ingestion jobs do
 * exactly that). Do the same with JetStream too and both modes behave alike.
 *
 * Payloads are JSON values (they travel as JSON, so a Date arrives as an ISO string). Keep them small: ids,
 * not documents; NATS refuses messages over max_payload (1 MB).
 */
export interface JobQueue {
  readonly kind: 'jetstream' | 'in-process';
  /**
   * Enqueues a job on `queue` ([a-z0-9-]+). With `dedupeId`, a second enqueue with the same id on the same
   * queue within the dedupe window (2 minutes by default; JetStream: the stream's duplicate window, via
   * Nats-Msg-Id) is silently dropped. Resolves once the job is stored (JetStream: the stream acknowledged it).
   */
  enqueue(queue: string, payload: unknown, options?: EnqueueOptions): Promise<void>;
  /**
   * Starts consuming `queue`. Handler success acknowledges the job; a thrown error retries it after
   * `backoffMs[attempt - 1]` (the last value repeats) until `maxAttempts`, then the job goes to
   * `onDeadLetter` (default: logged as an error). Several consumers of one queue (in this process or, with
   * JetStream, in other instances) share the work; each job goes to one of them at a time.
   */
  consume(queue: string, handler: JobHandler, options?: ConsumeOptions): Promise<JobConsumer>;
  /**
   * Stops every consumer and lets running handlers finish; after the shutdown grace their `signal` aborts
   * (a job aborted this way is not dead-lettered: JetStream redelivers it, in-process drops it). Then
   * drains the connection when the queue owns it. Enqueue and consume fail afterwards. Safe to call twice.
   */
  close(): Promise<void>;
}

export interface EnqueueOptions {
  /** Idempotency key of this enqueue, unique per queue; 1–200 printable characters. */
  dedupeId?: string;
}

export interface Job {
  payload: unknown;
  /** 1 on the first delivery. With JetStream every redelivery counts, including after a crash or abort. */
  attempt: number;
  /** Aborted when the consumer stops and the shutdown grace has passed; stop work and throw. */
  signal: AbortSignal;
}

export type JobHandler = (job: Job) => Promise<void>;

export interface ConsumeOptions {
  /** Handlers running at once in this consumer. Default 1. */
  concurrency?: number;
  /** Deliveries before a failing job is dead-lettered. Default 5. */
  maxAttempts?: number;
  /** Delay before retry n is `backoffMs[n - 1]`; the last value repeats. Default 1 s, 10 s, 1 min, 5 min. */
  backoffMs?: number[];
  /**
   * JetStream: how long the server waits for an ack (or a `working()` heartbeat, sent automatically
   * while the handler runs) before redelivering, i.e. how soon a crashed instance's jobs move on.
   * Default 60 s. Ignored in-process.
   */
  ackWaitMs?: number;
  /** Receives jobs that failed `maxAttempts` times. May run more than once per job: make it idempotent. */
  onDeadLetter?: (payload: unknown, error: unknown) => Promise<void> | void;
}

export interface JobConsumer {
  /** Stops taking jobs and waits for running handlers (aborting them after the shutdown grace). Safe to call twice. */
  stop(): Promise<void>;
}

/** Options every transport takes. */
export interface JobQueueBaseOptions {
  /** How long close() and stop() wait for running handlers before aborting them. Default 15 s. */
  shutdownGraceMs?: number;
}

/** The error dead-lettered when a job's last attempt never reported back (its worker crashed or hung). */
export class JobAttemptsExhaustedError extends Error {
  constructor(queue: string, deliveries: number) {
    super(`Job on queue "${queue}" was delivered ${deliveries} times without completing; its last attempt never reported back.`);
    this.name = 'JobAttemptsExhaustedError';
  }
}

export const DEFAULT_SHUTDOWN_GRACE_MS = 15_000;
export const DEFAULT_DEDUPE_WINDOW_MS = 120_000;
/** After aborting, how long to wait for handlers to notice before giving up on them. */
export const ABORT_SETTLE_MS = 1_000;

const QUEUE_NAME = /^[a-z0-9-]{1,64}$/;
// Printable ASCII without spaces: it travels as a NATS header value.
const DEDUPE_ID = /^[\x21-\x7e]{1,200}$/;

export function validateQueueName(queue: string): void {
  if (typeof queue !== 'string' || !QUEUE_NAME.test(queue)) {
    throw new TypeError(`Invalid queue name ${JSON.stringify(queue)}: use 1–64 characters of [a-z0-9-] (no dots or wildcards).`);
  }
}

export function validateDedupeId(dedupeId: string | undefined): void {
  if (dedupeId !== undefined && (typeof dedupeId !== 'string' || !DEDUPE_ID.test(dedupeId))) {
    throw new TypeError('Invalid dedupeId: use 1–200 printable ASCII characters without spaces.');
  }
}

/** Serialises a payload for the wire; refuses values JSON cannot carry. */
export function encodePayload(payload: unknown): string {
  const wire = JSON.stringify(payload);
  if (wire === undefined) throw new TypeError('A job payload must be a JSON value (got undefined or a function).');
  return wire;
}

export interface ResolvedConsumeOptions {
  concurrency: number;
  maxAttempts: number;
  backoffMs: number[];
  ackWaitMs: number;
  onDeadLetter: ((payload: unknown, error: unknown) => Promise<void> | void) | undefined;
}

export function resolveConsumeOptions(options: ConsumeOptions = {}): ResolvedConsumeOptions {
  const resolved = {
    concurrency: options.concurrency ?? 1,
    maxAttempts: options.maxAttempts ?? 5,
    backoffMs: options.backoffMs ?? [1_000, 10_000, 60_000, 300_000],
    ackWaitMs: options.ackWaitMs ?? 60_000,
    onDeadLetter: options.onDeadLetter,
  };
  const positiveInteger = (value: number) => Number.isInteger(value) && value >= 1;
  if (!positiveInteger(resolved.concurrency)) throw new TypeError('concurrency must be an integer ≥ 1.');
  if (!positiveInteger(resolved.maxAttempts)) throw new TypeError('maxAttempts must be an integer ≥ 1.');
  if (resolved.backoffMs.length === 0 || !resolved.backoffMs.every((ms) => Number.isFinite(ms) && ms >= 0)) {
    throw new TypeError('backoffMs must be a non-empty list of delays ≥ 0.');
  }
  if (!Number.isFinite(resolved.ackWaitMs) || resolved.ackWaitMs < 500) throw new TypeError('ackWaitMs must be ≥ 500.');
  return { ...resolved, backoffMs: [...resolved.backoffMs] };
}

/** The delay before the retry that follows failed attempt `attempt` (1-based); the last delay repeats. */
export function retryDelay(backoffMs: readonly number[], attempt: number): number {
  return backoffMs[Math.min(Math.max(attempt, 1), backoffMs.length) - 1]!;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

import { randomUUID } from 'node:crypto';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/index.ts';
import { connectJetStreamJobQueue, createJetStreamJobQueue, type JetStreamJobQueueOptions } from './jetstream-job-queue.ts';
import { JobAttemptsExhaustedError, type JobQueue } from './job-queue.ts';

const natsUrl = process.env['NATS_URL'];
const logger = createLogger(process.env['LOG_LEVEL'] ?? 'silent');

// A stream and subject prefix of its own, so parallel test files and a running server never collide.
const runId = randomUUID().slice(0, 8);
const streamName = `MASCOT_JOBS_TEST_${runId}`;
const subjectPrefix = `jobs-test-${runId}`;
const baseOptions: JetStreamJobQueueOptions = { logger, streamName, subjectPrefix, shutdownGraceMs: 2000 };
let queueCounter = 0;
const newQueueName = () => `q${++queueCounter}`;

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition') {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!natsUrl)('JetStream job queue', () => { // needs a real NATS server with JetStream; CI sets NATS_URL
  let admin: NatsConnection;
  let jsm: JetStreamManager;
  const opened: JobQueue[] = [];
  const open = async (options: Partial<JetStreamJobQueueOptions> = {}) => {
    const queue = await connectJetStreamJobQueue(natsUrl!, { ...baseOptions, ...options });
    opened.push(queue);
    return queue;
  };
  /** Messages of one queue still in the stream (WorkQueue retention removes acked and terminated ones). */
  const stored = async (queue: string) => {
    const info = await jsm.streams.info(streamName, { subjects_filter: `${subjectPrefix}.${queue}` });
    return info.state.subjects?.[`${subjectPrefix}.${queue}`] ?? 0;
  };

  beforeAll(async () => {
    admin = await connect({ servers: natsUrl! });
    jsm = await jetstreamManager(admin);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((queue) => queue.close()));
  });
  afterAll(async () => {
    await jsm?.streams.delete(streamName).catch(() => undefined);
    await admin?.close();
  });

  it('creates the stream idempotently as a file-backed work queue with a duplicate window', async () => {
    await open();
    await open(); // a second instance starting against the existing stream
    const { config } = await jsm.streams.info(streamName);
    expect(config).toMatchObject({ retention: 'workqueue', storage: 'file', subjects: [`${subjectPrefix}.>`], duplicate_window: 120_000_000_000 });
  });

  it('delivers an enqueued job to its queue\'s consumer and removes it once handled', async () => {
    const jobs = await open();
    expect(jobs.kind).toBe('jetstream');
    const queue = newQueueName();
    await jobs.enqueue(queue, { documentId: 'd1', at: new Date('2026-01-02T03:04:05.000Z') }); // before any consumer
    const received: [unknown, number][] = [];
    await jobs.consume(queue, async ({ payload, attempt }) => void received.push([payload, attempt]));
    await until(() => received.length === 1);
    expect(received).toEqual([[{ documentId: 'd1', at: '2026-01-02T03:04:05.000Z' }, 1]]);
    await until(async () => (await stored(queue)) === 0, 5000, 'message removed after ack');
    const consumer = await jsm.consumers.info(streamName, queue);
    expect(consumer.config).toMatchObject({ ack_policy: 'explicit', filter_subject: `${subjectPrefix}.${queue}`, max_deliver: 6, ack_wait: 60_000_000_000 });
  });

  it('enqueues once per dedupeId and queue within the duplicate window', async () => {
    const jobs = await open();
    const [queue, other] = [newQueueName(), newQueueName()];
    await jobs.enqueue(queue, 'first', { dedupeId: 'doc-1:v1' });
    await jobs.enqueue(queue, 'duplicate', { dedupeId: 'doc-1:v1' });
    await jobs.enqueue(queue, 'other id', { dedupeId: 'doc-1:v2' });
    await jobs.enqueue(other, 'same id, other queue', { dedupeId: 'doc-1:v1' });
    expect(await stored(queue)).toBe(2);
    const received: unknown[] = [];
    await jobs.consume(queue, async ({ payload }) => void received.push(payload));
    await jobs.consume(other, async ({ payload }) => void received.push(payload));
    await until(() => received.length === 3);
    // Both queues' messages acked and gone from the work queue: nothing is left that could arrive twice.
    await until(async () => (await stored(queue)) + (await stored(other)) === 0, 5000, 'messages removed after ack');
    expect(received.sort()).toEqual(['first', 'other id', 'same id, other queue']);
  });

  it('retries a failing job with backoff (nak delay) and acks once it succeeds', async () => {
    const jobs = await open();
    const queue = newQueueName();
    const attempts: [number, number][] = [];
    await jobs.consume(queue, async ({ attempt }) => {
      attempts.push([attempt, Date.now()]);
      if (attempt < 3) throw new Error(`failure ${attempt}`);
    }, { maxAttempts: 5, backoffMs: [300, 600] });
    await jobs.enqueue(queue, {});
    await until(() => attempts.length === 3);
    expect(attempts.map(([attempt]) => attempt)).toEqual([1, 2, 3]);
    expect(attempts[1]![1] - attempts[0]![1]).toBeGreaterThanOrEqual(250);
    expect(attempts[2]![1] - attempts[1]![1]).toBeGreaterThanOrEqual(550);
    // Acked and removed from the work queue: no further attempt can be delivered.
    await until(async () => (await stored(queue)) === 0, 5000, 'message removed after ack');
    expect(attempts).toHaveLength(3);
  });

  it('dead-letters after maxAttempts and removes the job from the stream', async () => {
    const jobs = await open();
    const queue = newQueueName();
    const attempts: number[] = [];
    const deadLetters: [unknown, unknown][] = [];
    await jobs.consume(queue, async ({ attempt }) => {
      attempts.push(attempt);
      throw new Error(`failure ${attempt}`);
    }, { maxAttempts: 3, backoffMs: [50], onDeadLetter: (payload, error) => void deadLetters.push([payload, error]) });
    await jobs.enqueue(queue, { id: 7 });
    await until(() => deadLetters.length === 1);
    expect(attempts).toEqual([1, 2, 3]);
    expect(deadLetters[0]![0]).toEqual({ id: 7 });
    expect((deadLetters[0]![1] as Error).message).toBe('failure 3');
    // Terminated and removed from the work queue: no further attempt can be delivered.
    await until(async () => (await stored(queue)) === 0, 5000, 'message removed after dead-lettering');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('redelivers a job to another consumer after the ack wait when its worker crashes before acking', async () => {
    const queue = newQueueName();
    const crashing = await connect({ servers: natsUrl! });
    const a = await createJetStreamJobQueue(crashing, { ...baseOptions, shutdownGraceMs: 10 });
    const aStarted = deferred();
    await a.consume(queue, () => {
      aStarted.resolve();
      return new Promise<void>(() => {}); // never resolves, never acks
    }, { ackWaitMs: 1500 });
    await a.enqueue(queue, { id: 'survives the crash' });
    await aStarted.promise;
    await crashing.close(); // the process dies: no ack, no nak, no more working() heartbeats

    const b = await open();
    const received: [unknown, number][] = [];
    const crashedAt = Date.now();
    await b.consume(queue, async ({ payload, attempt }) => void received.push([payload, attempt]), { ackWaitMs: 1500 });
    await until(() => received.length === 1, 10_000, 'redelivery to B');
    expect(received).toEqual([[{ id: 'survives the crash' }, 2]]);
    expect(Date.now() - crashedAt).toBeGreaterThanOrEqual(500); // it waited for the ack wait, not for a nak
    await until(async () => (await stored(queue)) === 0, 5000, 'message removed after B acked');
    await a.close(); // its handler never settles: close gives up after the grace
  });

  it('dead-letters a job whose last attempt crashed, on the reserved extra delivery, without running it again', async () => {
    const queue = newQueueName();
    const crashing = await connect({ servers: natsUrl! });
    const a = await createJetStreamJobQueue(crashing, { ...baseOptions, shutdownGraceMs: 10 });
    const aStarted = deferred();
    await a.consume(queue, () => (aStarted.resolve(), new Promise<void>(() => {})), { maxAttempts: 1, ackWaitMs: 1000 });
    await a.enqueue(queue, { id: 'last try' });
    await aStarted.promise;
    await crashing.close();

    const b = await open();
    let handled = 0;
    const deadLetters: [unknown, unknown][] = [];
    await b.consume(queue, async () => void handled++, {
      maxAttempts: 1,
      ackWaitMs: 1000,
      onDeadLetter: (payload, error) => void deadLetters.push([payload, error]),
    });
    await until(() => deadLetters.length === 1, 10_000, 'dead letter');
    expect(handled).toBe(0);
    expect(deadLetters[0]![0]).toEqual({ id: 'last try' });
    expect(deadLetters[0]![1]).toBeInstanceOf(JobAttemptsExhaustedError);
    await until(async () => (await stored(queue)) === 0, 5000, 'message removed after dead-lettering');
    await a.close();
  });

  it('shares a queue between two instances: each job handled once, both do some', async () => {
    const [one, two] = await Promise.all([open(), open()]);
    const queue = newQueueName();
    const byInstance: Record<'one' | 'two', number[]> = { one: [], two: [] };
    const handler = (name: 'one' | 'two') => async ({ payload }: { payload: unknown }) => {
      await sleep(30);
      byInstance[name].push(payload as number);
    };
    await one.consume(queue, handler('one'));
    await two.consume(queue, handler('two'));
    await Promise.all(Array.from({ length: 20 }, (_, i) => one.enqueue(queue, i)));
    await until(() => byInstance.one.length + byInstance.two.length >= 20);
    // Every job acked and removed from the work queue: nothing is left to deliver a second time.
    await until(async () => (await stored(queue)) === 0, 5000, 'messages removed after ack');
    expect([...byInstance.one, ...byInstance.two].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(byInstance.one.length).toBeGreaterThan(0);
    expect(byInstance.two.length).toBeGreaterThan(0);
  });

  it('respects the concurrency limit', async () => {
    const jobs = await open();
    const queue = newQueueName();
    let running = 0;
    let maxRunning = 0;
    let done = 0;
    await jobs.consume(queue, async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(50);
      running--;
      done++;
    }, { concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => jobs.enqueue(queue, i)));
    await until(() => done === 12);
    expect(maxRunning).toBe(3);
  });

  it('close lets a running handler finish and acks it', async () => {
    const jobs = await open({ shutdownGraceMs: 5000 });
    const queue = newQueueName();
    const started = deferred();
    let finished = false;
    await jobs.consume(queue, async () => {
      started.resolve();
      await sleep(300);
      finished = true;
    });
    await jobs.enqueue(queue, {});
    await started.promise;
    await jobs.close();
    expect(finished).toBe(true);
    expect(await stored(queue)).toBe(0);
    await expect(jobs.enqueue(queue, {})).rejects.toThrow(/closed/);
  });

  it('close aborts a handler after the grace and hands the job straight to another instance', async () => {
    const queue = newQueueName();
    const leaving = await open({ shutdownGraceMs: 50 });
    const started = deferred();
    let signal: AbortSignal | undefined;
    await leaving.consume(queue, (job) => {
      signal = job.signal;
      started.resolve();
      return new Promise<void>((_, reject) => job.signal.addEventListener('abort', () => reject(job.signal.reason)));
    }, { ackWaitMs: 30_000 });
    await leaving.enqueue(queue, 'handed over');
    await started.promise;
    await leaving.close();
    expect(signal!.aborted).toBe(true);

    const staying = await open();
    const received: [unknown, number][] = [];
    const closedAt = Date.now();
    await staying.consume(queue, async ({ payload, attempt }) => void received.push([payload, attempt]), { ackWaitMs: 30_000 });
    await until(() => received.length === 1, 5000, 'redelivery');
    expect(Date.now() - closedAt).toBeLessThan(5000); // nak'd, not left to the 30 s ack wait
    expect(received).toEqual([['handed over', 2]]);
  });

  it('keeps a long job alive with working() heartbeats beyond the ack wait', async () => {
    const [one, two] = await Promise.all([open(), open()]);
    const queue = newQueueName();
    const runs: string[] = [];
    const slow = async () => {
      runs.push('start');
      await sleep(2500); // 2.5 × the ack wait
      runs.push('end');
    };
    await one.consume(queue, slow, { ackWaitMs: 1000 });
    await one.enqueue(queue, {});
    await until(() => runs.length === 1);
    await two.consume(queue, slow, { ackWaitMs: 1000 }); // would get a redelivery if the heartbeats failed
    await until(() => runs.includes('end'), 5000);
    // Acked and removed: no redelivery to the second instance can follow.
    await until(async () => (await stored(queue)) === 0, 5000, 'message removed after ack');
    expect(runs).toEqual(['start', 'end']);
  });

  it('updates ack wait and max deliver of an existing consumer', async () => {
    const jobs = await open();
    const queue = newQueueName();
    const first = await jobs.consume(queue, async () => {}, { maxAttempts: 2, ackWaitMs: 5000 });
    await first.stop();
    await jobs.consume(queue, async () => {}, { maxAttempts: 4, ackWaitMs: 7000 });
    const { config } = await jsm.consumers.info(streamName, queue);
    expect(config).toMatchObject({ max_deliver: 5, ack_wait: 7_000_000_000 });
  });

  it('refuses to adopt a stream with another retention', async () => {
    const name = `${streamName}_LIMITS`;
    await jsm.streams.add({ name, subjects: [`${subjectPrefix}-limits.>`], retention: 'limits', storage: 'file' });
    try {
      await expect(open({ streamName: name, subjectPrefix: `${subjectPrefix}-limits` })).rejects.toThrow(/retention/);
    } finally {
      await jsm.streams.delete(name);
    }
  });
});

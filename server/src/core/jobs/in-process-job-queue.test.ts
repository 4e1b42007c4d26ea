import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logging/index.ts';
import { createInProcessJobQueue } from './in-process-job-queue.ts';
import type { Job, JobQueue } from './job-queue.ts';

const logger = createLogger('silent');

/** A promise with its resolve exposed. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Waits until `condition` holds, failing instead of hanging. */
async function until(condition: () => boolean, timeoutMs = 2000) {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const queues: JobQueue[] = [];
function newQueue(options: { shutdownGraceMs?: number; dedupeWindowMs?: number } = {}) {
  const queue = createInProcessJobQueue({ logger, ...options });
  queues.push(queue);
  return queue;
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(queues.splice(0).map((queue) => queue.close()));
});

describe('in-process job queue', () => {
  it('delivers a JSON copy of the payload on attempt 1, and only to consumers of that queue', async () => {
    const jobs = newQueue();
    const received: Job[] = [];
    const other: unknown[] = [];
    await jobs.consume('ingest', async (job) => void received.push(job));
    await jobs.consume('ingest-other', async (job) => void other.push(job.payload));
    const payload = { documentId: 'd1', at: new Date('2026-01-02T03:04:05.000Z'), tags: ['a'] };
    await jobs.enqueue('ingest', payload);
    payload.tags.push('changed after enqueue');
    await until(() => received.length === 1);
    expect(received[0]!.payload).toEqual({ documentId: 'd1', at: '2026-01-02T03:04:05.000Z', tags: ['a'] });
    expect(received[0]!.attempt).toBe(1);
    expect(received[0]!.signal.aborted).toBe(false);
    expect(other).toEqual([]);
    expect(jobs.kind).toBe('in-process');
  });

  it('keeps jobs enqueued before any consumer until one starts', async () => {
    const jobs = newQueue();
    await jobs.enqueue('later', 1);
    await jobs.enqueue('later', 2);
    const received: unknown[] = [];
    await jobs.consume('later', async (job) => void received.push(job.payload));
    await until(() => received.length === 2);
    expect(received).toEqual([1, 2]);
  });

  it('retries a failing job after each backoff delay, the last delay repeating, then succeeds', async () => {
    vi.useFakeTimers();
    const jobs = newQueue();
    const attempts: number[] = [];
    await jobs.consume('flaky', async ({ attempt }) => {
      attempts.push(attempt);
      if (attempt < 4) throw new Error(`failure ${attempt}`);
    }, { maxAttempts: 5, backoffMs: [1000, 5000] });
    await jobs.enqueue('flaky', {});
    await vi.advanceTimersByTimeAsync(0);
    expect(attempts).toEqual([1]);
    await vi.advanceTimersByTimeAsync(999);
    expect(attempts).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(4999);
    expect(attempts).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toEqual([1, 2, 3]);
    await vi.advanceTimersByTimeAsync(5000); // the last delay repeats
    expect(attempts).toEqual([1, 2, 3, 4]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(attempts).toEqual([1, 2, 3, 4]); // succeeded: no more attempts
  });

  it('dead-letters a job with its payload and last error after maxAttempts, and tries no more', async () => {
    const jobs = newQueue();
    const attempts: number[] = [];
    const deadLetters: [unknown, unknown][] = [];
    await jobs.consume('doomed', async ({ attempt }) => {
      attempts.push(attempt);
      throw new Error(`failure ${attempt}`);
    }, { maxAttempts: 3, backoffMs: [1], onDeadLetter: (payload, error) => void deadLetters.push([payload, error]) });
    await jobs.enqueue('doomed', { id: 7 });
    await until(() => deadLetters.length === 1);
    expect(attempts).toEqual([1, 2, 3]);
    expect(deadLetters[0]![0]).toEqual({ id: 7 });
    expect((deadLetters[0]![1] as Error).message).toBe('failure 3');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('survives a dead-letter handler that throws', async () => {
    const jobs = newQueue();
    let deadLetterCalls = 0;
    await jobs.consume('doomed', async () => {
      throw new Error('always');
    }, { maxAttempts: 1, onDeadLetter: () => {
      deadLetterCalls++;
      throw new Error('dead-letter store down');
    } });
    await jobs.enqueue('doomed', 1);
    await jobs.enqueue('doomed', 2);
    await until(() => deadLetterCalls === 2);
  });

  it('never runs more handlers at once than the concurrency, and runs every job once', async () => {
    const jobs = newQueue();
    let running = 0;
    let maxRunning = 0;
    const handled: number[] = [];
    await jobs.consume('parallel', async ({ payload }) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      handled.push(payload as number);
      running--;
    }, { concurrency: 3 });
    for (let i = 0; i < 20; i++) await jobs.enqueue('parallel', i);
    await until(() => handled.length === 20);
    expect(maxRunning).toBe(3);
    expect([...handled].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('shares a queue between consumers, each job handled once', async () => {
    const jobs = newQueue();
    const byConsumer: Record<string, number[]> = { a: [], b: [] };
    for (const name of ['a', 'b'] as const) {
      await jobs.consume('shared', async ({ payload }) => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        byConsumer[name]!.push(payload as number);
      });
    }
    for (let i = 0; i < 10; i++) await jobs.enqueue('shared', i);
    await until(() => byConsumer['a']!.length + byConsumer['b']!.length === 10);
    expect(byConsumer['a']!.length).toBeGreaterThan(0);
    expect(byConsumer['b']!.length).toBeGreaterThan(0);
    expect([...byConsumer['a']!, ...byConsumer['b']!].sort((x, y) => x - y)).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('enqueues once per dedupeId and queue within the window, again after it', async () => {
    vi.useFakeTimers();
    const jobs = newQueue({ dedupeWindowMs: 60_000 });
    const received: unknown[] = [];
    await jobs.consume('dedupe', async (job) => void received.push(job.payload));
    await jobs.consume('dedupe-other', async (job) => void received.push(job.payload));
    await jobs.enqueue('dedupe', 'first', { dedupeId: 'doc-1:v1' });
    await jobs.enqueue('dedupe', 'duplicate', { dedupeId: 'doc-1:v1' });
    await jobs.enqueue('dedupe-other', 'same id, other queue', { dedupeId: 'doc-1:v1' });
    await jobs.enqueue('dedupe', 'no id');
    await jobs.enqueue('dedupe', 'no id');
    await vi.advanceTimersByTimeAsync(59_999);
    await jobs.enqueue('dedupe', 'still a duplicate', { dedupeId: 'doc-1:v1' });
    await vi.advanceTimersByTimeAsync(1);
    await jobs.enqueue('dedupe', 'after the window', { dedupeId: 'doc-1:v1' });
    await vi.advanceTimersByTimeAsync(0);
    expect(received).toEqual(['first', 'same id, other queue', 'no id', 'no id', 'after the window']);
  });

  it('close waits for running handlers to finish and then refuses work', async () => {
    const jobs = newQueue({ shutdownGraceMs: 5000 });
    const started = deferred();
    const release = deferred();
    let finished = false;
    let signal: AbortSignal | undefined;
    await jobs.consume('slow', async (job) => {
      signal = job.signal;
      started.resolve();
      await release.promise;
      finished = true;
    });
    await jobs.enqueue('slow', {});
    await started.promise;
    let closed = false;
    const closing = jobs.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(false);
    release.resolve();
    await closing;
    expect(finished).toBe(true);
    expect(signal!.aborted).toBe(false);
    await expect(jobs.enqueue('slow', {})).rejects.toThrow(/closed/);
    await expect(jobs.consume('slow', async () => {})).rejects.toThrow(/closed/);
    await expect(jobs.close()).resolves.toBeUndefined(); // safe twice
  });

  it('close aborts handlers after the grace, without retrying or dead-lettering them, and takes no new job', async () => {
    const jobs = newQueue({ shutdownGraceMs: 30 });
    const handled: unknown[] = [];
    const deadLetters: unknown[] = [];
    let signal: AbortSignal | undefined;
    await jobs.consume('stuck', async (job) => {
      handled.push(job.payload);
      signal = job.signal;
      await new Promise((_, reject) => job.signal.addEventListener('abort', () => reject(job.signal.reason)));
    }, { onDeadLetter: (payload) => void deadLetters.push(payload), backoffMs: [1] });
    await jobs.enqueue('stuck', 'running');
    await jobs.enqueue('stuck', 'queued behind it');
    await until(() => handled.length === 1);
    const started = Date.now();
    await jobs.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(signal!.aborted).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(handled).toEqual(['running']);
    expect(deadLetters).toEqual([]);
  });

  it('stop hands the stopped consumer\'s aborted and waiting jobs to the remaining consumer', async () => {
    const jobs = newQueue({ shutdownGraceMs: 10 });
    const stoppedSaw: number[] = [];
    const stayingSaw: [unknown, number][] = [];
    const first = await jobs.consume('handover', async (job) => {
      stoppedSaw.push(job.payload as number);
      await new Promise((_, reject) => job.signal.addEventListener('abort', () => reject(job.signal.reason)));
    });
    await jobs.enqueue('handover', 1);
    await until(() => stoppedSaw.length === 1);
    await jobs.enqueue('handover', 2);
    await first.stop();
    await first.stop(); // safe twice
    await jobs.consume('handover', async (job) => void stayingSaw.push([job.payload, job.attempt]));
    await until(() => stayingSaw.length === 2);
    expect(stoppedSaw).toEqual([1]);
    expect(stayingSaw).toEqual([[1, 1], [2, 1]]); // aborted by stop: not counted as an attempt
  });

  it('refuses invalid queue names, payloads, dedupe ids and options', async () => {
    const jobs = newQueue();
    for (const name of ['', 'a.b', 'jobs.*', '>', '*', 'Upper', 'with space', 'x'.repeat(65)]) {
      await expect(jobs.enqueue(name, {})).rejects.toThrow(/queue name/);
      await expect(jobs.consume(name, async () => {})).rejects.toThrow(/queue name/);
    }
    await expect(jobs.enqueue('ok', undefined)).rejects.toThrow(/JSON/);
    await expect(jobs.enqueue('ok', {}, { dedupeId: '' })).rejects.toThrow(/dedupeId/);
    await expect(jobs.enqueue('ok', {}, { dedupeId: 'has space' })).rejects.toThrow(/dedupeId/);
    await expect(jobs.enqueue('ok', {}, { dedupeId: 'line\nbreak' })).rejects.toThrow(/dedupeId/);
    await expect(jobs.consume('ok', async () => {}, { concurrency: 0 })).rejects.toThrow(/concurrency/);
    await expect(jobs.consume('ok', async () => {}, { maxAttempts: 1.5 })).rejects.toThrow(/maxAttempts/);
    await expect(jobs.consume('ok', async () => {}, { backoffMs: [] })).rejects.toThrow(/backoffMs/);
    await expect(jobs.consume('ok', async () => {}, { backoffMs: [-1] })).rejects.toThrow(/backoffMs/);
    await expect(jobs.consume('ok', async () => {}, { ackWaitMs: 10 })).rejects.toThrow(/ackWaitMs/);
  });
});

import { ABORT_SETTLE_MS } from './job-queue.ts';

export interface RunningJob {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/** Waits for every promise or for `ms`, whichever comes first, without leaving a timer behind. */
async function settledWithin(promises: Promise<void>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled(promises), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * A consumer's handler slots: at most `limit` jobs run at once, each with its own AbortController, and a
 * graceful drain (wait, then abort, then give up) for stop and close.
 */
export class JobSlots {
  private readonly running = new Set<RunningJob>();
  private waiters: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.running.size;
  }

  hasFree(): boolean {
    return this.running.size < this.limit;
  }

  /** Resolves once a slot is free, or when wakeAll() is called (the caller re-checks why it woke). */
  waitForFree(): Promise<void> {
    if (this.hasFree()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  wakeAll(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Runs a task in a slot; the task must handle its own errors (a rejection is ignored). */
  run(task: (signal: AbortSignal) => Promise<void>, onSettled?: () => void): RunningJob {
    const controller = new AbortController();
    const job: RunningJob = {
      controller,
      done: task(controller.signal)
        .catch(() => undefined)
        .finally(() => {
          this.running.delete(job);
          this.wakeAll();
          onSettled?.();
        }),
    };
    this.running.add(job);
    return job;
  }

  /**
   * Waits up to `graceMs` for the running jobs, then aborts the rest and gives them ABORT_SETTLE_MS to
   * notice. Returns the jobs still running after that (handlers that ignore their signal).
   */
  async drain(graceMs: number): Promise<RunningJob[]> {
    if (this.running.size === 0) return [];
    await settledWithin([...this.running].map((job) => job.done), graceMs);
    if (this.running.size === 0) return [];
    const reason = Object.assign(new Error('The job queue is shutting down.'), { name: 'AbortError' });
    for (const job of this.running) job.controller.abort(reason);
    await settledWithin([...this.running].map((job) => job.done), ABORT_SETTLE_MS);
    return [...this.running];
  }
}

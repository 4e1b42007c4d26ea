import { Worker, type TransferListItem } from 'node:worker_threads';
import type { IsolatedReply, SerializedError } from './isolated-task.ts';

/** What one task in a worker thread may use before it is stopped. */
export interface IsolationLimits {
  /** Wall time, from the worker's start to its answer. */
  timeoutMs: number;
  /**
   * Memory: the worker's V8 heap (`resourceLimits`), and separately the memory outside it (ArrayBuffers,
   * typed arrays, WebAssembly), which `resourceLimits` does not bound and a watchdog measures instead.
   */
  maxMemoryMb: number;
}

/** How an isolated task was stopped. Callers map these to their own typed errors. */
export type IsolationFailureCode = 'TIMEOUT' | 'OUT_OF_MEMORY' | 'CRASHED';

export class IsolationFailure extends Error {
  override readonly name = 'IsolationFailure';
  constructor(readonly code: IsolationFailureCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * An error the task threw inside the worker, with its name and own fields (code, details…) as sent
 * back, so the caller can rebuild its typed error (ParseError, GlbRuleViolation) from them.
 */
export class IsolatedTaskError extends Error {
  override readonly name = 'IsolatedTaskError';
  readonly remoteName: string;
  readonly fields: Record<string, unknown>;
  constructor(serialized: SerializedError) {
    super(serialized.message);
    this.remoteName = serialized.name;
    this.fields = serialized.fields;
  }
}

/** How often the watchdog reads the worker's memory (an interrupt on its thread, answered even mid-computation). */
const MEMORY_POLL_MS = 50;
const MB = 1024 * 1024;

/**
 * The worker module `baseName` beside the calling module: `.ts` when the caller runs from source (tsx,
 * Vitest), `.js` when it runs compiled from server/dist, where the build puts the worker beside it.
 */
export function workerBeside(callerUrl: string, baseName: string): URL {
  return new URL(`./${baseName}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl);
}

/**
 * Compiled workers (server/dist) run on plain Node. TypeScript ones need tsx's loader: run from source
 * with tsx, workers inherit it through process.execArgv; under Vitest they do not, so it is added.
 */
function workerExecArgv(workerFile: URL): string[] | undefined {
  if (!workerFile.pathname.endsWith('.ts')) return undefined;
  if (process.execArgv.some((arg) => arg.includes('tsx'))) return undefined;
  return [...process.execArgv, '--import', import.meta.resolve('tsx')];
}

/**
 * Runs the task of `workerFile` (a module calling `serveIsolatedTask`) on `input` in a new worker
 * thread, so untrusted files are parsed off the main thread: the event loop keeps answering health
 * checks and streaming replies while it works (docs/ARCHITECTURE.md, issue 15). The worker is terminated
 * when it runs past `timeoutMs` or uses more than `maxMemoryMb` inside or outside the V8 heap; the
 * promise then rejects with an IsolationFailure. Errors the task throws reject as IsolatedTaskError.
 * One worker per task: a fresh isolate shares nothing with the previous file and frees everything
 * at once when it ends.
 */
export function runIsolated<O>(workerFile: URL, input: unknown, limits: IsolationLimits, transfer: TransferListItem[] = []): Promise<O> {
  return new Promise<O>((resolve, reject) => {
    const worker = new Worker(workerFile, {
      workerData: input,
      transferList: transfer,
      execArgv: workerExecArgv(workerFile),
      resourceLimits: { maxOldGenerationSizeMb: limits.maxMemoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, limits.maxMemoryMb / 8)) },
      // The parsers write nothing to stdio worth keeping; piping keeps them off the server's log stream.
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(watchdog);
      outcome();
      void worker.terminate();
    };
    const stop = (code: IsolationFailureCode, message: string, cause?: unknown) =>
      settle(() => reject(new IsolationFailure(code, message, cause === undefined ? undefined : { cause })));
    const timer = setTimeout(() => stop('TIMEOUT', `The task ran for more than ${limits.timeoutMs} ms and was stopped.`), limits.timeoutMs);
    const watchdog = setInterval(() => {
      worker.getHeapStatistics().then((stats) => {
        if (stats.external_memory > limits.maxMemoryMb * MB) {
          stop('OUT_OF_MEMORY', `The task used more than ${limits.maxMemoryMb} MB outside the heap and was stopped.`);
        }
      }, () => undefined /* the worker has just exited; its exit event settles the task */);
    }, MEMORY_POLL_MS);
    worker.on('message', (reply: IsolatedReply<O>) => {
      settle(() => (reply.ok ? resolve(reply.value) : reject(new IsolatedTaskError(reply.error))));
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') stop('OUT_OF_MEMORY', `The task used more than ${limits.maxMemoryMb} MB of heap and was stopped.`, error);
      else stop('CRASHED', `The task failed: ${error.message}`, error);
    });
    worker.on('exit', (code) => stop('CRASHED', `The task's worker exited (code ${code}) without an answer.`));
  });
}

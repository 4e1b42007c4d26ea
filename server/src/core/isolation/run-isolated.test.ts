import { describe, expect, it } from 'vitest';
import { IsolatedTaskError, IsolationFailure, runIsolated } from './run-isolated.ts';

const TASK = new URL('./fixtures/misbehaving.worker.ts', import.meta.url);
const limits = { timeoutMs: 20_000, maxMemoryMb: 64 };

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => { throw new Error('expected the task to fail'); }, (error: unknown) => error);
}

describe('runIsolated', { timeout: 60_000 }, () => {
  it('answers with the task result, with the input moved to the worker', async () => {
    const bytes = new Uint8Array(1000);
    expect(await runIsolated<number>(TASK, { behaviour: 'answer', bytes }, limits, [bytes.buffer])).toBe(1000);
    expect(bytes.byteLength).toBe(0); // transferred, not copied
  });

  it('stops a task that runs past its time with TIMEOUT, while this thread stays free', async () => {
    const started = Date.now();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const error = await failure(runIsolated(TASK, { behaviour: 'spin' }, { ...limits, timeoutMs: 500 }));
    clearInterval(ticker);
    expect(error).toBeInstanceOf(IsolationFailure);
    expect((error as IsolationFailure).code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(ticks).toBeGreaterThan(5);
  });

  it('stops a task that fills its heap with OUT_OF_MEMORY', async () => {
    const error = await failure(runIsolated(TASK, { behaviour: 'heap' }, limits));
    expect(error).toMatchObject({ name: 'IsolationFailure', code: 'OUT_OF_MEMORY' });
  });

  it('stops a task that allocates buffers outside the heap with OUT_OF_MEMORY', async () => {
    const error = await failure(runIsolated(TASK, { behaviour: 'buffers' }, limits));
    expect(error).toMatchObject({ name: 'IsolationFailure', code: 'OUT_OF_MEMORY' });
    expect((error as Error).message).toMatch(/outside the heap/);
  });

  it('hands back an error the task threw with its name and fields', async () => {
    const error = await failure(runIsolated(TASK, { behaviour: 'throw' }, limits));
    expect(error).toBeInstanceOf(IsolatedTaskError);
    expect(error).toMatchObject({ remoteName: 'CodedError', message: 'failed with TOO_MUCH', fields: { code: 'TOO_MUCH', details: { limit: 3 } } });
  });
});

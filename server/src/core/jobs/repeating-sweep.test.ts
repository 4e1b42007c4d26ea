import { afterEach, describe, expect, it, vi } from 'vitest';
import { startRepeatingSweep } from './repeating-sweep.ts';

afterEach(() => vi.useRealTimers());

describe('startRepeatingSweep', () => {
  it('sweeps at once, then after each run ends, never two at a time, and goes on after a failed run', async () => {
    vi.useFakeTimers();
    let active = 0;
    let overlapped = false;
    let runs = 0;
    const stop = startRepeatingSweep(async () => {
      overlapped ||= active > 0;
      active++;
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 50)); // a sweep longer than nothing
      active--;
      if (runs === 2) throw new Error('database unavailable');
    }, () => 10);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(50 + 10);
    expect(runs).toBe(2);
    await vi.advanceTimersByTimeAsync(50 + 10); // the second run failed; the third still comes
    expect(runs).toBe(3);
    await vi.advanceTimersByTimeAsync(10);
    const stopped = stop();
    await vi.advanceTimersByTimeAsync(50);
    await stopped;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(3);
    expect(overlapped).toBe(false);
  });

  it('waits on stop for the run in progress', async () => {
    let finish!: () => void;
    let finished = false;
    const stop = startRepeatingSweep(() => new Promise<void>((resolve) => (finish = () => { finished = true; resolve(); })), () => 10);
    const stopped = stop();
    setTimeout(() => finish(), 5);
    await stopped;
    expect(finished).toBe(true);
  });
});

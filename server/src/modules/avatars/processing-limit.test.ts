import { describe, expect, it } from 'vitest';
import { createProcessingLimit } from './processing-limit.ts';

describe('processing limit', () => {
  it('runs at most the given number of tasks at once, in arrival order, and survives failures', async () => {
    const { run, waiting } = createProcessingLimit(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (i: number) => async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(i);
      active--;
      if (i === 1) throw new Error('boom');
      return i;
    };
    const settled = Promise.allSettled(Array.from({ length: 7 }, (_, i) => run(task(i))));
    expect(waiting()).toBe(5);
    const results = await settled;
    expect(waiting()).toBe(0);
    expect(peak).toBe(2);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(order.slice(2)).toEqual([2, 3, 4, 5, 6]);
  });
});

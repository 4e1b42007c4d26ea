/**
 * At most `concurrency` tasks at once; the rest wait in arrival order. Validation and optimisation
 * of a large model holds the CPU for seconds, so an instance handles few uploads at a time and
 * chat traffic keeps flowing. `waiting()` lets callers refuse work instead of queueing without bound.
 */
export function createProcessingLimit(concurrency: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  async function run<T>(task: () => Promise<T>): Promise<T> {
    if (active >= concurrency) await new Promise<void>((resolve) => queue.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so a newcomer cannot slip in between.
      const next = queue.shift();
      if (next) next();
      else active--;
    }
  }
  return { run, waiting: () => queue.length };
}

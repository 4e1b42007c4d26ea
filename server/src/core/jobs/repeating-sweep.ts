/**
 * Runs `sweep` at once and again `nextDelayMs()` after each run ends, never two at a time, until stopped: the
 * checks every instance makes in the background (replies a stopped instance left open, bots due for purging).
 * `sweep` logs its own failures; a failed run does not stop the next. Returns the stop function, which waits for
 * a run in progress. The timer is unref'd: a sweep never keeps the process alive.
 */
export function startRepeatingSweep(sweep: () => Promise<unknown>, nextDelayMs: () => number): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const scheduleNext = () => {
    if (stopped) return;
    timer = setTimeout(run, nextDelayMs());
    timer.unref();
  };
  const run = () => {
    running = sweep().then(scheduleNext, scheduleNext);
  };
  run();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}

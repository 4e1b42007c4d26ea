/**
 * Passes a subscription's events through and calls `onEnd` as soon as it ends, however it ends (done,
 * error, or the client leaving). Not an async generator: a generator's return() waits behind its
 * pending next(), which for an idle subscription is forever, so a client leaving would go unnoticed.
 * `onEnd` may run more than once; make it idempotent.
 */
export function whenIterationEnds<T>(events: AsyncIterable<T>, onEnd: () => void): AsyncIterableIterator<T> {
  const inner = events[Symbol.asyncIterator]();
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      try {
        const result = await inner.next();
        if (result.done) onEnd();
        return result;
      } catch (error) {
        onEnd();
        throw error;
      }
    },
    async return(value?: unknown) {
      onEnd();
      return inner.return ? inner.return(value) : { done: true as const, value: value as T };
    },
    async throw(error?: unknown) {
      onEnd();
      if (inner.throw) return inner.throw(error);
      throw error;
    },
  };
}

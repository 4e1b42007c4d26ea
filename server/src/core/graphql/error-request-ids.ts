
/**
 * Apollo calls formatError(formatted, error) without the request's context, so the formatter could not
 * say which request a masked error belongs to. Errors are tagged with their request id when Apollo
 * reports them to plugins (didEncounterErrors, with the context at hand: operation-pipeline.ts), and the formatter reads the
 * tag. A WeakMap: the tags go away with the errors.
 */
const requestIds = new WeakMap<object, string>();

/** Remembers that `error` (and whatever Apollo wraps it in later) happened in request `requestId`. */
export function tagWithRequestId(error: unknown, requestId: string): void {
  if (typeof error === 'object' && error !== null && !requestIds.has(error)) requestIds.set(error, requestId);
}

/** The request id of `error` or of an error it wraps (Apollo wraps thrown values in GraphQLErrors). */
export function requestIdOfError(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    const requestId = requestIds.get(current);
    if (requestId) return requestId;
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

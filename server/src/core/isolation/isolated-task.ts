import { parentPort, workerData, type TransferListItem } from 'node:worker_threads';

/** An error crossing the thread boundary: structured clone keeps an Error's message but not its own fields. */
export interface SerializedError {
  name: string;
  message: string;
  /** The error's own enumerable fields (code, reason, detail, details…), when they can be cloned. */
  fields: Record<string, unknown>;
}

export type IsolatedReply<O> = { ok: true; value: O } | { ok: false; error: SerializedError };

function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === 'cause') continue;
    try {
      fields[key] = structuredClone(value);
    } catch (cloneError) {
      // A field that cannot cross threads (a function, a socket) is dropped; the code and message remain.
      void cloneError;
    }
  }
  return { name: error.name, message: error.message, fields };
}

/**
 * The worker side of runIsolated: runs `task` on the input it was started with and posts the
 * answer (or the error it threw) to its owner, once. `transfer` moves large results without a copy.
 */
export function serveIsolatedTask<I, O>(task: (input: I) => Promise<{ value: O; transfer?: TransferListItem[] }>): void {
  const port = parentPort;
  if (!port) throw new Error('serveIsolatedTask runs only inside a worker thread started by runIsolated.');
  task(workerData as I).then(
    ({ value, transfer }) => port.postMessage({ ok: true, value } satisfies IsolatedReply<O>, transfer),
    (error: unknown) => port.postMessage({ ok: false, error: serializeError(error) } satisfies IsolatedReply<O>),
  );
}

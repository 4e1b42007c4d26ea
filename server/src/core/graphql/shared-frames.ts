import type { ExecutionResult } from 'graphql';
import type { WebSocket } from 'ws';

/** The payload graphql-ws stringifies in place of a shared result; the socket's send swaps the whole frame in. */
const PLACEHOLDER = Object.freeze({});

/**
 * Serializes each subscription result once, however many sockets it goes to. graphql-ws stringifies every
 * `next` message per socket; with results shared between subscribers (shared-execution.ts) that would be
 * the one per-subscriber cost left. So `next` hands graphql-ws a tiny placeholder payload, and the socket's
 * `send` — which receives graphql-ws's exact string for it — sends the frame built from the result's JSON,
 * computed once per result object. Only the `id` differs between sockets.
 */
export function createFrameSharing() {
  const jsonOf = new WeakMap<object, string>();

  return {
    /** Per socket: call once, before any operation. Returns what `next` needs. */
    attach(socket: WebSocket): Map<string, string> {
      const pending = new Map<string, string>();
      const send = socket.send.bind(socket);
      socket.send = ((data: unknown, ...rest: unknown[]) => {
        const frame = typeof data === 'string' ? pending.get(data) : undefined;
        if (frame !== undefined) pending.delete(data as string);
        return (send as (...args: unknown[]) => void)(frame ?? data, ...rest);
      }) as WebSocket['send'];
      return pending;
    },
    /** What graphql-ws's onNext returns for `result` going out as subscription `id` on the socket of `pending`. */
    next(pending: Map<string, string>, id: string, result: ExecutionResult): ExecutionResult {
      let json = jsonOf.get(result);
      if (json === undefined) {
        json = JSON.stringify(result);
        jsonOf.set(result, json);
      }
      const idJson = JSON.stringify(id);
      // Exactly what graphql-ws's stringifyMessage makes of { id, type: 'next', payload: PLACEHOLDER }.
      pending.set(`{"id":${idJson},"type":"next","payload":{}}`, `{"id":${idJson},"type":"next","payload":${json}}`);
      return PLACEHOLDER as ExecutionResult;
    },
  };
}

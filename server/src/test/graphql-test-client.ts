import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
}

/** POSTs one operation as a browser would (JSON body, so Apollo's CSRF prevention is satisfied). */
export async function graphqlRequest<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

/** Like graphqlRequest but fails loudly on errors, for setup steps. */
export async function graphqlOk<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const result = await graphqlRequest<T>(url, query, variables, token);
  if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

export interface EventRecorder<T> {
  events: T[];
  /** Resolves with the first event matching `predicate` (already received or still to come). */
  waitFor(predicate: (event: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Set when the subscription ended with an error (e.g. a typed GraphQL error). */
  error: () => unknown;
  close(): Promise<void>;
}

export function wsClient(url: string, token?: string, onClose?: (event: { code: number }) => void): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
    on: onClose ? { closed: (event) => onClose(event as { code: number }) } : {},
  });
}

/** Subscribes over graphql-ws and records every event, for asserting on streams. */
export function recordSubscription<T = any>(client: Client, query: string, variables: Record<string, unknown>): EventRecorder<T> {
  const events: T[] = [];
  const waiters: { predicate: (e: T) => boolean; resolve: (e: T) => void }[] = [];
  let failure: unknown;
  let rejectAll: ((error: unknown) => void)[] = [];
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) {
          failure = result.errors;
          for (const reject of rejectAll) reject(result.errors);
          return;
        }
        const event = result.data as T;
        events.push(event);
        for (const waiter of [...waiters]) {
          if (waiter.predicate(event)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(event);
          }
        }
      },
      error: (error) => {
        failure = error;
        for (const reject of rejectAll) reject(error);
      },
      complete: () => {},
    },
  );
  return {
    events,
    error: () => failure,
    waitFor(predicate, timeoutMs = 15_000) {
      const found = events.find(predicate);
      if (found) return Promise.resolve(found);
      if (failure) return Promise.reject(failure);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out; events so far: ${JSON.stringify(events)}`)), timeoutMs);
        rejectAll.push((error) => {
          clearTimeout(timer);
          reject(error);
        });
        waiters.push({ predicate, resolve: (e) => { clearTimeout(timer); resolve(e); } });
      });
    },
    async close() {
      unsubscribe();
      rejectAll = [];
    },
  };
}

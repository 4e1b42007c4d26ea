/** What the load bench's parent asks its load generator (`load-generator.process.ts`), and what comes back. */

export type LoadCommand =
  /** autocannon against one GraphQL endpoint: POST `{ query }` as JSON, optionally with a bearer token. */
  | { kind: 'http'; url: string; query: string; token?: string; connections: number; durationS: number }
  /** Sequential pairs: a direct SDK call to the provider, then one visitor message; times to first token. */
  | { kind: 'ttft'; graphqlUrl: string; websocketUrl: string; embedId: string; providerUrl: string; samples: number; warmup: number; timeoutMs: number }
  /**
   * Mascot visitors: startConversation + graphql-ws + conversationEvents, kept open; none starts after
   * `deadlineMs`. Visitor i talks to `embedIds[i % embedIds.length]`.
   */
  | { kind: 'open-visitors'; graphqlUrl: string; websocketUrl: string; embedIds: string[]; count: number; concurrency: number; timeoutMs: number; deadlineMs: number }
  /** Every open Mascot visitor sends its message (spread over `rampMs`) and reads the whole answer. */
  | { kind: 'send'; graphqlUrl: string; rampMs: number; timeoutMs: number }
  | { kind: 'close-visitors' }
  /** Baseline visitors: connected graphql-ws clients, not yet subscribed. */
  | { kind: 'open-baseline'; websocketUrl: string; count: number; concurrency: number; timeoutMs: number; deadlineMs: number }
  /** Every baseline visitor subscribes (spread over `rampMs`) and reads the whole answer. */
  | { kind: 'baseline-go'; rampMs: number; timeoutMs: number }
  | { kind: 'close-baseline' };

export interface OpenResult {
  opened: number;
  failures: string[];
}

export interface HttpFigures {
  requestsPerSecond: number;
  total: number;
  /** Latency percentiles in ms, as autocannon's histogram gives them. */
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** Milliseconds, pairwise: `direct[i]` was measured just before `platform[i]`. */
export interface TtftSamples {
  direct: number[];
  platform: number[];
  failures: string[];
}

export interface ServerInfo {
  graphqlUrl: string;
  websocketUrl: string;
  env: string;
  bus: string;
  pid: number;
}

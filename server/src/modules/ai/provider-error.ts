import { findDestinationRefusal } from '../../core/outbound/index.ts';

/**
 * Why one attempt at a provider failed, in the router's vocabulary. Each provider adapter maps its
 * SDK's errors to this, so the router decides retries, fallback and the circuit breaker in one place.
 */
export type ProviderFailureKind =
  /** HTTP 429: retry after `retryAfterMs` if short, else move on. */
  | 'rate-limited'
  /** HTTP 5xx (and Anthropic's 529 overloaded). */
  | 'server-error'
  /** No connection, reset, DNS: the endpoint is unreachable. */
  | 'connection'
  /** No first token (or no next token) in time. */
  | 'timeout'
  /** Other HTTP 4xx: this request (model name, key) is wrong; retrying cannot help. */
  | 'rejected'
  /** The stream broke: a malformed chunk or an error event in the stream. */
  | 'bad-stream'
  /** The caller aborted (visitor left, shutdown): not the provider's fault. */
  | 'aborted'
  /** The outbound policy refused the destination (a private address the operator did not allow): final. */
  | 'refused';

export class ProviderCallError extends Error {
  override name = 'ProviderCallError';

  constructor(
    readonly kind: ProviderFailureKind,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Worth another attempt at the same endpoint (after backoff). */
  get transient(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'server-error' || this.kind === 'connection' || this.kind === 'timeout';
  }

  /** Says something about the endpoint's health, not about one bot's request: counts for its circuit breaker. */
  get endpointFailure(): boolean {
    return this.transient;
  }
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

interface SdkErrorShape {
  status?: number | undefined;
  headers?: Headers | undefined;
  message: string;
}

/**
 * Maps an error of either official SDK (both share the same generated error hierarchy: `status`,
 * `headers`, APIUserAbortError, APIConnectionError…) to a ProviderCallError.
 */
export function classifySdkError(error: unknown, signal: AbortSignal): ProviderCallError {
  if (error instanceof ProviderCallError) return error;
  if (signal.aborted) return new ProviderCallError('aborted', 'The request was aborted.', {}, { cause: error });
  const refusal = findDestinationRefusal(error);
  if (refusal) return new ProviderCallError('refused', `destination refused: ${refusal.message}`, {}, { cause: error });
  const shaped = error as SdkErrorShape & { name?: string; constructor?: { name?: string } };
  const className = shaped?.constructor?.name ?? shaped?.name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  const status = typeof shaped?.status === 'number' ? shaped.status : undefined;
  if (status === 429) {
    const wait = retryAfterMs(shaped.headers?.get?.('retry-after'));
    return new ProviderCallError('rate-limited', message, { status, ...(wait === undefined ? {} : { retryAfterMs: wait }) }, { cause: error });
  }
  if (status !== undefined && status >= 500) return new ProviderCallError('server-error', message, { status }, { cause: error });
  if (status === 408) return new ProviderCallError('timeout', message, { status }, { cause: error });
  if (status !== undefined) return new ProviderCallError('rejected', message, { status }, { cause: error });
  if (/Timeout/.test(className)) return new ProviderCallError('timeout', message, {}, { cause: error });
  if (/Connection/.test(className) || isNetworkError(error)) return new ProviderCallError('connection', message, {}, { cause: error });
  // A stream that ends in a chunk the SDK cannot parse, or an SSE error event without a status.
  return new ProviderCallError('bad-stream', message, {}, { cause: error });
}

function isNetworkError(error: unknown): boolean {
  const code = (error as { code?: string; cause?: { code?: string } })?.cause?.code ?? (error as { code?: string })?.code;
  return typeof code === 'string' && /^(ECONNRESET|ECONNREFUSED|EPIPE|ENOTFOUND|EAI_AGAIN|UND_ERR_SOCKET|UND_ERR_)/.test(code);
}

import { ErrorCode } from '@mascot/contracts';
import { DomainError } from '../errors/index.ts';

/** The budgets a request or sign-in is counted against; named in `extensions.limit`. */
export type RateLimitName =
  | 'ip' | 'apiKey' | 'tenant' | 'loginAccount' | 'loginIp'
  // Visitor message budgets (plans.ts `visitorMessages`), counted by `consumeBudgets`.
  | 'visitor' | 'visitorAddress' | 'conversation' | 'embed';

/**
 * RATE_LIMITED with `extensions.retryAfter` (whole seconds, at least 1) and `extensions.limit`.
 * Over HTTP the same seconds go into the `Retry-After` header (see `retryAfterSeconds`).
 */
export function rateLimited(retryAfterMs: number, limit: RateLimitName, details: Record<string, unknown> = {}): DomainError {
  const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new DomainError(ErrorCode.RATE_LIMITED, undefined, { ...details, retryAfter, limit });
}

/** Seconds to put in `Retry-After` when `error` (or what it wraps) is RATE_LIMITED; undefined otherwise. */
export function retryAfterSeconds(error: unknown): number | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof DomainError) {
      const retryAfter = current.details['retryAfter'];
      return current.code === ErrorCode.RATE_LIMITED && typeof retryAfter === 'number' ? retryAfter : undefined;
    }
    current = (current as { originalError?: unknown; cause?: unknown }).originalError ?? (current as { cause?: unknown }).cause;
  }
  return undefined;
}

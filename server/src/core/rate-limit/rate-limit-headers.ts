import type { RateLimitBudgetStatus } from './rate-limits.ts';

export const RATE_LIMIT_POLICY_HEADER = 'ratelimit-policy';
export const RATE_LIMIT_HEADER = 'ratelimit';

/**
 * The `RateLimit-Policy` and `RateLimit` response fields of the IETF draft "RateLimit header fields for HTTP"
 * (draft-ietf-httpapi-ratelimit-headers, structured-field lists): one item per budget that applies to the
 * caller, named as `extensions.limit` names it in RATE_LIMITED errors, e.g.
 * `RateLimit-Policy: "apiKey";q=1200;w=60, "tenant";q=3000;w=60` and `RateLimit: "apiKey";r=1187;t=42, …`.
 * `q` is the quota in points (GraphQL top-level fields, see operationCost), `w` the window, `r` what is left
 * and `t` the seconds until the window resets.
 */
export function rateLimitHeaders(budgets: readonly RateLimitBudgetStatus[]): [string, string][] {
  if (budgets.length === 0) return [];
  return [
    [RATE_LIMIT_POLICY_HEADER, budgets.map((b) => `"${b.limit}";q=${b.quota};w=${b.windowS}`).join(', ')],
    [RATE_LIMIT_HEADER, budgets.map((b) => `"${b.limit}";r=${b.remaining};t=${b.resetAfterS}`).join(', ')],
  ];
}

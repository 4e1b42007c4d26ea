export {
  createRateLimits,
  DEFAULT_RATE_LIMITS,
  type LoginAttempt,
  type NamedBudget,
  type RateLimitConfig,
  type RateLimitRule,
  type RateLimits,
  type RateLimitsOptions,
  type RateLimitBudgetStatus,
  type RateLimitStatus,
  type RequestToLimit,
} from './rate-limits.ts';
export { operationCost } from './operation-cost.ts';
export { RATE_LIMIT_HEADER, RATE_LIMIT_POLICY_HEADER, rateLimitHeaders } from './rate-limit-headers.ts';
export { clientIpKey, createClientAddress, validateTrustedProxies, type TrustProxy } from './client-ip.ts';
export { rateLimited, retryAfterSeconds, type RateLimitName } from './rate-limit-error.ts';
export type { PgPool, PgPoolClient } from './postgres-store.ts';

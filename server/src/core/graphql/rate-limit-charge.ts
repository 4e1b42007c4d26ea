import { GraphQLError, type DocumentNode } from 'graphql';
import type { Principal } from '../auth/index.ts';
import { operationCost, rateLimitHeaders, retryAfterSeconds, type RateLimits, type RequestToLimit } from '../rate-limit/index.ts';

/** Who an operation is charged to: the principal and the client's address (MASCOT_TRUST_PROXY decides which). */
export type Caller = { principal: Principal; ip: string | undefined };

/**
 * The budgets a caller is counted against: an API key's own budget (instead of its address's), the address
 * otherwise, and the tenant of members and keys. Visitors are not charged to their tenant, so one widget
 * visitor cannot exhaust what the tenant's members need.
 */
function requestOf({ principal, ip }: Caller): Omit<RequestToLimit, 'points'> {
  return {
    ip,
    ...(principal.kind === 'apiKey' ? { apiKeyId: principal.keyId } : {}),
    ...(principal.kind === 'apiKey' || principal.kind === 'user' ? { tenantId: principal.tenantId } : {}),
  };
}

/**
 * Charges an operation against the caller's rate limits (address or API key, and tenant) by its cost: each
 * top-level field counts, aliases individually. Over a limit it is refused as RATE_LIMITED with retryAfter —
 * over HTTP a 429 with a Retry-After header. Otherwise the RateLimit fields for the budgets it left.
 */
export async function chargeOperation(
  limits: Pick<RateLimits, 'consumeRequest'>,
  caller: Caller,
  document: DocumentNode,
  operationName: string | null | undefined,
): Promise<{ rateLimitHeaders: [string, string][]; refused?: undefined } | { refused: GraphQLError }> {
  try {
    const status = await limits.consumeRequest({ ...requestOf(caller), points: operationCost(document, operationName) });
    return { rateLimitHeaders: rateLimitHeaders(status.budgets ?? []) };
  } catch (error) {
    const retryAfter = retryAfterSeconds(error);
    if (retryAfter === undefined) throw error;
    return {
      refused: new GraphQLError((error as Error).message, {
        originalError: error as Error,
        extensions: { http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) } },
      }),
    };
  }
}

/** The RateLimit fields (rate-limit-headers.ts) for the caller's budgets as they stand, spending nothing. */
export function currentRateLimitHeaders(limits: Pick<RateLimits, 'requestStatus'>, caller: Caller): [string, string][] {
  return rateLimitHeaders(limits.requestStatus(requestOf(caller)).budgets ?? []);
}

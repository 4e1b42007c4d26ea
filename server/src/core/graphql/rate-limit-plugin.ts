import type { ApolloServerPlugin, GraphQLRequestListener, HeaderMap } from '@apollo/server';
import { GraphQLError, type DocumentNode } from 'graphql';
import type { Principal } from '../auth/index.ts';
import {
  operationCost,
  RATE_LIMIT_HEADER,
  rateLimitHeaders,
  retryAfterSeconds,
  type RateLimits,
  type RateLimitStatus,
  type RequestToLimit,
} from '../rate-limit/index.ts';
import type { GraphQLContext } from './context.ts';

type Caller = { principal: Principal; ip: string | undefined };

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

async function charge(
  limits: Pick<RateLimits, 'consumeRequest'>,
  caller: Caller,
  document: DocumentNode,
  operationName: string | null | undefined,
): Promise<{ status: RateLimitStatus; refused?: undefined } | { refused: GraphQLError }> {
  try {
    return { status: await limits.consumeRequest({ ...requestOf(caller), points: operationCost(document, operationName) }) };
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

/**
 * Charges an operation against the caller's rate limits (address or API key, and tenant) by its cost: each
 * top-level field counts, aliases individually. Over a limit it is RATE_LIMITED with retryAfter — over HTTP
 * as 429 with a Retry-After header. For graphql-ws, which has no response headers.
 */
export async function chargeOperation(
  limits: Pick<RateLimits, 'consumeRequest'>,
  caller: Caller,
  document: DocumentNode,
  operationName: string | null | undefined,
): Promise<GraphQLError | undefined> {
  return (await charge(limits, caller, document, operationName)).refused;
}

/** The RateLimit fields (rate-limit-headers.ts) for the caller's budgets as they stand, spending nothing. */
export function currentRateLimitHeaders(limits: Pick<RateLimits, 'requestStatus'>, caller: Caller): [string, string][] {
  return rateLimitHeaders(limits.requestStatus(requestOf(caller)).budgets ?? []);
}

function setAll(headers: HeaderMap, fields: [string, string][]): void {
  for (const [name, value] of fields) headers.set(name, value);
}

/**
 * chargeOperation for Apollo (HTTP), and the RateLimit-Policy / RateLimit response fields on every response:
 * after the charge, the budgets it left; on a 429, the same fields beside Retry-After; for requests refused
 * before an operation was charged (unparsable, invalid), the budgets as they stand.
 */
export function useRateLimits(limits: Pick<RateLimits, 'consumeRequest' | 'requestStatus'>): ApolloServerPlugin<GraphQLContext> {
  // One listener for every request: it keeps no per-request state (fewer allocations per request).
  const listener: GraphQLRequestListener<GraphQLContext> = {
    async didResolveOperation({ contextValue, document, operationName, response }) {
      const outcome = await charge(limits, contextValue, document, operationName);
      if (outcome.refused) {
        setAll(response.http.headers, currentRateLimitHeaders(limits, contextValue));
        throw outcome.refused;
      }
      setAll(response.http.headers, rateLimitHeaders(outcome.status.budgets ?? []));
    },
    async willSendResponse({ contextValue, response }) {
      if (!response.http.headers.has(RATE_LIMIT_HEADER)) setAll(response.http.headers, currentRateLimitHeaders(limits, contextValue));
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}

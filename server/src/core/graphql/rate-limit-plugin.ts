import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { GraphQLError, type DocumentNode } from 'graphql';
import type { Principal } from '../auth/index.ts';
import { operationCost, retryAfterSeconds, type RateLimits } from '../rate-limit/index.ts';
import type { GraphQLContext } from './context.ts';

/**
 * Charges an operation against the caller's rate limits (IP, API key, tenant) by its cost: each
 * top-level field counts, aliases individually. Over a limit it is RATE_LIMITED with retryAfter —
 * over HTTP as 429 with a Retry-After header. Visitors are not charged to their tenant, so one
 * widget visitor cannot exhaust what the tenant's members need.
 */
export async function chargeOperation(
  limits: Pick<RateLimits, 'consumeRequest'>,
  caller: { principal: Principal; ip: string | undefined },
  document: DocumentNode,
  operationName: string | null | undefined,
): Promise<GraphQLError | undefined> {
  const { principal } = caller;
  try {
    await limits.consumeRequest({
      ip: caller.ip,
      ...(principal.kind === 'apiKey' ? { apiKeyId: principal.keyId } : {}),
      ...(principal.kind === 'apiKey' || principal.kind === 'user' ? { tenantId: principal.tenantId } : {}),
      points: operationCost(document, operationName),
    });
    return undefined;
  } catch (error) {
    const retryAfter = retryAfterSeconds(error);
    if (retryAfter === undefined) throw error;
    return new GraphQLError((error as Error).message, {
      originalError: error as Error,
      extensions: { http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) } },
    });
  }
}

export function useRateLimits(limits: Pick<RateLimits, 'consumeRequest'>): ApolloServerPlugin<GraphQLContext> {
  // One listener for every request: it keeps no per-request state (fewer allocations per request).
  const listener: GraphQLRequestListener<GraphQLContext> = {
    async didResolveOperation({ contextValue, document, operationName }) {
      const refused = await chargeOperation(limits, contextValue, document, operationName);
      if (refused) throw refused;
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}

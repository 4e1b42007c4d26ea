import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestListener, type GraphQLResponse } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode, errorCodeMessages } from '@mascot/contracts';
import type { Principal } from '../auth/index.ts';
import type { MikroORM } from '../db/index.ts';
import { DomainError } from '../errors/index.ts';
import type { GraphQLContext } from '../graphql/index.ts';
import type { Logger } from '../logging/index.ts';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, parseIdempotencyKey, requestFingerprint } from './idempotency-key.ts';
import { IdempotencyStore, type IdempotencyScope } from './idempotency-store.ts';

export interface IdempotencyOptions {
  orm: MikroORM;
  logger: Logger;
  /** How long a key is remembered; default 24 hours. */
  ttlS?: number;
  /**
   * How long a claim holds without a response; default 300 s, Node's own limit on receiving a request
   * (`requestTimeout`): mutations only enqueue long work, so a claim this old belongs to a dead instance.
   */
  leaseS?: number;
  /** How often expired keys are deleted; default every 10 minutes (expired keys are taken over lazily anyway). */
  purgeIntervalMs?: number;
}

/**
 * Responses that must not be replayed: the same request may well succeed when retried (limits, quotas, a
 * restart, an unexpected failure, a concurrent change). Anything else — data, or an error about the request
 * itself — is what any retry would get, so it is stored.
 */
const TRANSIENT_CODES: ReadonlySet<unknown> = new Set([
  ErrorCode.RATE_LIMITED,
  ErrorCode.QUOTA_EXCEEDED,
  ErrorCode.SERVICE_UNAVAILABLE,
  ErrorCode.INTERNAL_SERVER_ERROR,
  ErrorCode.CONFLICT,
]);

/** A key belongs to its caller within the tenant; anonymous callers have no tenant to keep keys in. */
function callerOf(principal: Principal): Omit<IdempotencyScope, 'key'> | undefined {
  switch (principal.kind) {
    case 'user':
      return { tenantId: principal.tenantId, caller: `user:${principal.userId}` };
    case 'apiKey':
      return { tenantId: principal.tenantId, caller: `apiKey:${principal.keyId}` };
    case 'visitor':
      return { tenantId: principal.tenantId, caller: `visitor:${principal.conversationId}` };
    case 'anonymous':
      return undefined;
  }
}

/** A typed error answered instead of executing (the same shape the error formatter gives domain errors). */
function refusal(status: number, code: ErrorCode, headers: [string, string][] = []): GraphQLResponse {
  return {
    http: { status, headers: new HeaderMap(headers) },
    body: { kind: 'single', singleResult: { errors: [{ message: errorCodeMessages[code], extensions: { code } }] } },
  };
}

/** The response to remember for retries, or undefined when a retry should execute again. */
function storable(response: GraphQLResponse): { status: number; body: string } | undefined {
  if (response.body.kind !== 'single') return undefined;
  const status = response.http.status ?? 200;
  if (status >= 500 || status === 429 || status === 409) return undefined;
  const { singleResult } = response.body;
  if (singleResult.errors?.some((error) => TRANSIENT_CODES.has(error.extensions?.['code']))) return undefined;
  return { status, body: JSON.stringify(singleResult) };
}

/**
 * `Idempotency-Key` (IETF draft "The Idempotency-Key HTTP Header Field") for GraphQL mutations over HTTP.
 *
 * Why an Apollo plugin and not an Express middleware around /graphql: POST /graphql mostly bypasses Express
 * (graphql-http-lane.ts), and only after Apollo has parsed and validated the document and authenticated the
 * caller is it known that the request is a mutation and whose key it is; a middleware would parse and
 * authenticate a second time. Replays stay byte-identical: the stored text is the formatted result as Apollo
 * serializes it (`JSON.stringify` of `{ errors, data, extensions }`), returned from `responseForOperation`
 * parsed back, which Apollo serializes again to the same bytes with the stored status (the test compares bytes).
 * Replays are still charged to the caller's rate limits: the operation pipeline charges them in didResolveOperation, before.
 *
 * - a mutation with a valid key claims it (tenant, caller, key) before executing; a duplicate meanwhile gets
 *   409 IDEMPOTENCY_KEY_IN_FLIGHT, never a second execution;
 * - its response is stored unless transient (see TRANSIENT_CODES) and replayed to retries with the same
 *   request for 24 hours, with `Idempotent-Replayed: true`; the same key with another request is 422
 *   IDEMPOTENCY_KEY_REUSED; a malformed key 400 IDEMPOTENCY_KEY_INVALID;
 * - queries ignore the header, and so do anonymous callers (no tenant; their mutations — sign-up, sign-in,
 *   starting a conversation — hand out credentials, which must not be replayed to whoever repeats a key).
 */
export function useIdempotency(options: IdempotencyOptions): ApolloServerPlugin<GraphQLContext> {
  const store = new IdempotencyStore(options.orm, { ttlS: options.ttlS ?? 24 * 60 * 60, leaseS: options.leaseS ?? 300 });
  const { logger } = options;
  return {
    async serverWillStart() {
      const purge = setInterval(() => {
        store.purgeExpired().catch((error: unknown) => logger.warn({ err: error }, 'purging expired idempotency keys failed'));
      }, options.purgeIntervalMs ?? 10 * 60 * 1000).unref();
      return {
        async serverWillStop() {
          clearInterval(purge);
        },
      };
    },
    async requestDidStart({ request }) {
      const header = request.http?.headers.get(IDEMPOTENCY_KEY_HEADER);
      // The common path: no key, no per-request state.
      return header === undefined ? undefined : keyedRequest(store, header, logger);
    },
  };
}

function keyedRequest(store: IdempotencyStore, header: string, logger: Logger): GraphQLRequestListener<GraphQLContext> {
  let scope: IdempotencyScope | undefined;
  let token: string | undefined;
  return {
    async didResolveOperation({ operation, contextValue }) {
      if (operation?.operation !== 'mutation') return;
      const caller = callerOf(contextValue.principal);
      if (!caller) return;
      const key = parseIdempotencyKey(header);
      if (key === undefined) {
        const invalid = new DomainError(ErrorCode.IDEMPOTENCY_KEY_INVALID, undefined, { header: IDEMPOTENCY_KEY_HEADER });
        throw new GraphQLError(invalid.message, { originalError: invalid, extensions: { http: { status: 400 } } });
      }
      scope = { ...caller, key };
    },
    async responseForOperation({ request, contextValue }) {
      if (!scope) return null;
      let claim;
      try {
        claim = await store.claim(scope, requestFingerprint(request));
      } catch (error) {
        logger.error({ err: error, requestId: contextValue.requestId }, 'claiming an idempotency key failed');
        return refusal(503, ErrorCode.SERVICE_UNAVAILABLE, [['retry-after', '1']]);
      }
      switch (claim.kind) {
        case 'claimed':
          token = claim.token;
          return null;
        case 'replay':
          return {
            http: { status: claim.status, headers: new HeaderMap([[IDEMPOTENT_REPLAYED_HEADER, 'true']]) },
            body: { kind: 'single', singleResult: JSON.parse(claim.body) },
          };
        case 'in-flight':
          return refusal(409, ErrorCode.IDEMPOTENCY_KEY_IN_FLIGHT, [['retry-after', '1']]);
        case 'reused':
          return refusal(422, ErrorCode.IDEMPOTENCY_KEY_REUSED);
      }
    },
    async willSendResponse({ response, contextValue }) {
      if (!scope || !token) return;
      const held = { scope, token };
      token = undefined;
      const result = storable(response);
      try {
        if (result) await store.complete(held.scope, held.token, result);
        else await store.release(held.scope, held.token);
      } catch (error) {
        // The claim stays until its lease ends; retries meanwhile get IDEMPOTENCY_KEY_IN_FLIGHT, never a second run.
        logger.error({ err: error, requestId: contextValue.requestId }, 'storing an idempotent response failed');
      }
    },
  };
}

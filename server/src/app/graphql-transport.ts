import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { ANONYMOUS, type Principal } from '../core/auth/index.ts';
import type { MascotConfig } from '../core/config/index.ts';
import type { EntityManager, MikroORM } from '../core/db/index.ts';
import { DomainError } from '../core/errors/index.ts';
import {
  createErrorFormatter,
  createOperationPipeline,
  createSocketOriginPolicy,
  requestIdMiddleware,
  requestIdOf,
  requestIdOfError,
  tagWithRequestId,
  currentRateLimitHeaders,
  createFrameSharing,
  createSharedSubscriptions,
  whenIterationEnds,
  type GraphQLContext,
  type OperationPipeline,
} from '../core/graphql/index.ts';
import { useIdempotency } from '../core/idempotency/index.ts';
import type { Logger } from '../core/logging/index.ts';
import type { Metrics } from '../core/metrics/index.ts';
import type { RateLimits } from '../core/rate-limit/index.ts';
import { changeAffects, type Authenticator, type IdentityCache } from '../modules/identity/index.ts';
import { createGraphQLHttpLane } from './graphql-http-lane.ts';

export interface GraphQLTransportDeps {
  app: express.Express;
  httpServer: Server;
  schema: GraphQLSchema;
  orm: MikroORM;
  authenticate: Authenticator;
  logger: Logger;
  /** `env` switches on the production hardening; `allowedOrigins` extends the graphql-ws Origin check. */
  config: Pick<MascotConfig, 'env' | 'allowedOrigins'>;
  /** The server's own base URL (PUBLIC_URL or the listening URL), read per socket: known once listening. */
  publicUrl: () => string;
  rateLimits: Pick<RateLimits, 'consumeRequest' | 'requestStatus'>;
  metrics: Metrics;
  /** The client's address by MASCOT_TRUST_PROXY, the same rule for HTTP requests and socket upgrades (`createClientAddress`). */
  clientAddress: (request: IncomingMessage) => string | undefined;
  /** Revoked keys, ended sessions and changed memberships (on any instance): sockets authenticated with them are closed. */
  identityChanges?: Pick<IdentityCache, 'onChange'>;
}

/**
 * Apollo Server over HTTP and graphql-ws on the same path, hardened alike (SECURITY.md, GraphQL): one
 * operation pipeline (core/graphql/operation-pipeline.ts) defines the limits, cost, rate limits,
 * introspection policy, metrics and error masking; the two adapters below only translate it to Apollo's
 * plugin hooks and graphql-ws's. Both fork an EntityManager per operation.
 */
export async function mountGraphQL(deps: GraphQLTransportDeps) {
  const production = deps.config.env === 'production';
  const pipeline = createOperationPipeline({
    schema: deps.schema,
    production,
    rateLimits: deps.rateLimits,
    metrics: deps.metrics,
    formatError: createErrorFormatter(deps.logger, { hideSuggestions: production }),
  });
  const sockets = serveGraphQLWs(deps, pipeline, production);
  const { apollo, lane } = await serveGraphQLHttp(deps, pipeline);
  return {
    /** POST /graphql without the Express app: give every request to it first (see graphql-http-lane.ts). */
    handleHttpRequest: lane,
    async stop() {
      await sockets.stop();
      await apollo.stop();
    },
  };
}

const HTTP_BODY_LIMIT = '1mb';

/**
 * Headers that let a request past Apollo's CSRF prevention: Apollo's recommended two and the GraphQL over
 * HTTP spec's `graphql-preflight`. A browser sends none of them cross-site without a CORS preflight.
 */
const CSRF_PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight', 'graphql-preflight'];

/**
 * GET /graphql runs queries without a preflight header, as urql (`preferGetMethod: 'within-url-limit'`, its
 * default) and Apollo Client (`useGETForQueries`) send them. Apollo's CSRF prevention refuses such a GET
 * because a cross-site page can make a browser send it; here that request can do nothing:
 * - GET executes queries only: Apollo answers a mutation with 405 before executing it (health.int.test.ts),
 *   and subscriptions are not served over HTTP. Whatever a query may record (an audit entry) needs a credential, which the next point rules out.
 * - Every credential is a bearer token in the Authorization header (members, API keys, visitors); the
 *   server neither sets nor reads cookies. A browser adds no header to a cross-site GET, so a forged one runs
 *   as anonymous: what the attacker could ask from its own machine.
 * - Its response cannot be read by the page without CORS, and /graphql sends no CORS headers.
 * POST keeps Apollo's check: a POST may be a mutation. Should a credential ever ride in a cookie, this
 * exemption must go (and GET clients send `graphql-preflight: 1`).
 */
function allowGetQueries(req: IncomingMessage, _res: unknown, next: () => void): void {
  if (req.method === 'GET') req.headers['graphql-preflight'] ??= 'get';
  next();
}

/** One EntityManager fork, made when first asked for: `{ __typename }` or a cached credential needs none. */
function lazyFork(orm: MikroORM): () => EntityManager {
  let forked: EntityManager | undefined;
  return () => (forked ??= orm.em.fork());
}

/**
 * An HTTP operation's context. `em` is a getter on the prototype, not an own property: Apollo copies
 * the context with Object.assign for each operation, which would call an own getter and fork at once
 * (about 5% of the CPU of a small request).
 */
class HttpContext implements GraphQLContext {
  constructor(
    private readonly fork: () => EntityManager,
    readonly principal: Principal,
    readonly origin: string | undefined,
    readonly ip: string | undefined,
    readonly requestId: string,
  ) {}

  get em(): EntityManager {
    return this.fork();
  }
}

/**
 * Apollo on POST and GET /graphql, mounted on the Express app, and the lane that serves POST without
 * Express; every response carries x-request-id.
 */
async function serveGraphQLHttp(deps: GraphQLTransportDeps, pipeline: OperationPipeline) {
  const { app, orm, authenticate, schema } = deps;

  // Over HTTP a bad token is a 401 with the typed code, before any resolver runs.
  const authenticateRequest = async (em: () => EntityManager, header: string | undefined, requestId: string): Promise<Principal> => {
    try {
      return await authenticate(em, header);
    } catch (error) {
      if (error instanceof DomainError) {
        throw new GraphQLError(error.message, { originalError: error, extensions: { code: error.code, http: { status: 401 } } });
      }
      tagWithRequestId(error, requestId); // Apollo formats context failures outside any operation
      throw error;
    }
  };

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    formatError: (formatted, error) => pipeline.formatError(formatted, error, requestIdOfError(error)),
    nodeEnv: deps.config.env,
    includeStacktraceInErrorResponses: false,
    // Introspection is decided per caller by the pipeline; Apollo's own switch is global.
    introspection: true,
    // Security decisions, stated: no arrays of operations in one request (one request, one operation's
    // limits), and no simple POSTs browsers send cross-site (Apollo's check, also passed by the spec's
    // `graphql-preflight`); GET queries are let through by allowGetQueries, which says why.
    allowBatchedHttpRequests: false,
    csrfPrevention: { requestHeaders: CSRF_PREFLIGHT_HEADERS },
    // Apollo parses and validates (keeping its document cache) with the pipeline's limits.
    parseOptions: pipeline.parseOptions,
    validationRules: pipeline.validationRules,
    plugins: [
      // Apollo's landing page loads Sandbox from a CDN; our explorer is bundled and served by explorerRoutes.
      ApolloServerPluginLandingPageDisabled(),
      pipeline.apolloPlugin(),
      // Claims and replays in responseForOperation, after the pipeline charged the request: a replay is
      // charged like the request it repeats, and a refused request claims no key.
      useIdempotency({ orm, logger: deps.logger }),
    ],
  });
  await apollo.start();
  const context = async (req: IncomingMessage, requestId: string): Promise<GraphQLContext> => {
    const em = lazyFork(orm);
    const principal = await authenticateRequest(em, req.headers.authorization, requestId);
    return new HttpContext(em, principal, req.headers.origin, deps.clientAddress(req), requestId);
  };
  // Responses Apollo's plugins never see (an unreadable body, a bad token, CSRF prevention) still tell the
  // caller its budget: the address's, as for anyone not yet authenticated (the pipeline sets the rest).
  const rateLimitHeaders = (req: IncomingMessage) => currentRateLimitHeaders(deps.rateLimits, { principal: ANONYMOUS, ip: deps.clientAddress(req) });
  app.use(
    '/graphql',
    requestIdMiddleware(),
    (req, res, next) => {
      // Apollo's own RateLimit fields, when it sets them, replace these.
      for (const [name, value] of rateLimitHeaders(req)) res.setHeader(name, value);
      next();
    },
    express.json({ limit: HTTP_BODY_LIMIT }),
    allowGetQueries,
    expressMiddleware(apollo, { context: ({ req, res }) => context(req, requestIdOf(res)) }),
  );
  const lane = createGraphQLHttpLane({ apollo, context, bodyLimit: HTTP_BODY_LIMIT, logger: deps.logger, rateLimitHeaders });
  return { apollo, lane };
}

/**
 * Subscription fields whose resolver returns the event unchanged: subscribers with the same selection get one
 * shared execution of each event (their arguments only pick the stream).
 */
const PASSTHROUGH_SUBSCRIPTIONS: ReadonlySet<string> = new Set(['conversationEvents']);

/** Results are shared only among callers with the same rights: the tenant and what the principal may do. */
function sharingScope(principal: Principal): string {
  switch (principal.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'visitor':
      return `visitor:${principal.tenantId}:${principal.conversationId}`;
    case 'user':
      return `user:${principal.tenantId}:${principal.role}`;
    case 'apiKey':
      return `apiKey:${principal.tenantId}:${[...principal.scopes].sort().join(',')}`;
  }
}

/** What graphql-ws keeps per socket besides the socket and its upgrade request. */
interface SocketState extends Record<PropertyKey, unknown> {
  principal: Principal;
  /** Subscription id → request id of that operation, for errors reported without its context. */
  requestIds: Map<string, string>;
  /** Subscription id → the operation's name, for counting its failure. */
  operations: Map<string, string | null>;
  /** Frames waiting for this socket's send (createFrameSharing). */
  frames: Map<string, string>;
}

/**
 * graphql-ws on the HTTP server's /graphql upgrades. A socket is refused with 4403 when a browser
 * page from a foreign origin opened it or its token is invalid (checked in onConnect, before any
 * operation); every operation is parsed and validated in onSubscribe under the HTTP limits.
 */
function serveGraphQLWs(deps: GraphQLTransportDeps, pipeline: OperationPipeline, production: boolean) {
  const { httpServer, schema, orm, authenticate, logger, metrics } = deps;
  const originAllowed = createSocketOriginPolicy({
    ownUrl: deps.publicUrl,
    allowedOrigins: deps.config.allowedOrigins,
    production,
  });
  // A socket keeps the principal it authenticated with for its whole life; when that credential is
  // revoked, signed out or its membership changes (announced on every instance, identity-cache.ts), the
  // socket is closed with 4403 within the bus's latency, so its subscriptions end and a client that
  // reconnects is authenticated afresh. Token expiry is checked when a socket connects, not while it lives.
  const authenticated = new Map<WebSocket, Principal>();
  const stopListening = deps.identityChanges?.onChange((change) => {
    for (const [socket, principal] of authenticated) {
      if (changeAffects(change, principal)) socket.close(CloseCode.Forbidden, 'Credentials revoked or changed');
    }
  });
  // One execution per event and selection, whatever the number of subscribers (shared-execution.ts).
  const subscribe = createSharedSubscriptions({
    passthroughFields: PASSTHROUGH_SUBSCRIPTIONS,
    scopeOf: (context) => sharingScope((context as GraphQLContext).principal),
    onEvent: (outcome) => metrics.subscriptionEvent(outcome),
  });
  // …and one serialization of each result: every socket gets the same JSON (shared-frames.ts).
  const frames = createFrameSharing();

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = useServer<Record<string, unknown>, SocketState>(
    {
      schema,
      isProd: production,
      subscribe,
      onConnect: async (ctx) => {
        const { request, socket } = ctx.extra;
        if (!originAllowed(request.headers.origin, request.headers.host)) {
          socket.close(CloseCode.Forbidden, 'Origin not allowed');
          return false;
        }
        const authorization = ctx.connectionParams?.['authorization'];
        try {
          ctx.extra.principal = await authenticate(() => orm.em.fork(), typeof authorization === 'string' ? authorization : undefined);
        } catch (error) {
          if (error instanceof DomainError) return false; // graphql-ws closes with 4403 Forbidden
          const requestId = randomUUID();
          logger.error({ err: error, requestId }, 'unexpected error authenticating a socket');
          socket.close(CloseCode.InternalServerError, `Internal server error (request ${requestId})`);
          return false;
        }
        ctx.extra.requestIds = new Map();
        ctx.extra.operations = new Map();
        ctx.extra.frames = frames.attach(socket);
        authenticated.set(socket, ctx.extra.principal);
        socket.once('close', () => authenticated.delete(socket));
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const requestId = randomUUID();
        ctx.extra.requestIds?.set(id, requestId);
        ctx.extra.operations?.set(id, payload.operationName ?? null);
        const prepared = pipeline.prepare(payload.query);
        if (prepared.errors) return prepared.errors;
        const caller = { principal: ctx.extra.principal ?? ANONYMOUS, ip: deps.clientAddress(ctx.extra.request) };
        const admission = await pipeline.admit({ caller, document: prepared.document, operationName: payload.operationName, transport: 'ws' });
        if (admission.refused) return [admission.refused];
        // graphql-ws has no response to time: a subscription lives as long as its socket wants it.
        admission.finished();
        return { schema, document: prepared.document, operationName: payload.operationName, variableValues: payload.variables };
      },
      context: (ctx, id): GraphQLContext => ({
        em: orm.em.fork(),
        principal: ctx.extra.principal ?? { kind: 'anonymous' },
        origin: ctx.extra.request.headers.origin,
        ip: deps.clientAddress(ctx.extra.request),
        requestId: ctx.extra.requestIds?.get(id) ?? randomUUID(),
      }),
      onOperation: (_ctx, _id, _payload, _args, result) => {
        if (!(Symbol.asyncIterator in result)) return result;
        return whenIterationEnds(result, metrics.subscriptionOpened());
      },
      onNext: (ctx, id, _payload, args, result) => {
        if (!result.errors) return ctx.extra.frames ? frames.next(ctx.extra.frames, id, result) : result;
        const { requestId } = args.contextValue as GraphQLContext;
        return { ...result, errors: result.errors.map((e) => pipeline.formatError(e.toJSON(), e, requestId)) };
      },
      onError: (ctx, id, _payload, errors) => {
        const requestId = ctx.extra.requestIds?.get(id);
        ctx.extra.requestIds?.delete(id);
        pipeline.failed(ctx.extra.operations?.get(id), errors, 'ws');
        ctx.extra.operations?.delete(id);
        return errors.map((e) => pipeline.formatError(e.toJSON(), e, requestId));
      },
      onComplete: (ctx, id) => {
        ctx.extra.requestIds?.delete(id);
        ctx.extra.operations?.delete(id);
      },
    },
    wsServer,
  );

  return {
    async stop() {
      stopListening?.();
      await wsCleanup.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}

import type { ApolloServerPlugin, GraphQLRequestListener, HeaderMap } from '@apollo/server';
import { GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ParseOptions, type ValidationRule } from 'graphql';
import type { Metrics, Transport } from '../metrics/index.ts';
import { RATE_LIMIT_HEADER, type RateLimits } from '../rate-limit/index.ts';
import type { GraphQLContext } from './context.ts';
import { errorCodeOf, type ErrorFormatter } from './error-formatter.ts';
import { tagWithRequestId } from './error-request-ids.ts';
import { introspectionError } from './introspection-policy.ts';
import { operationLimitRules, operationParseOptions, OPERATION_LIMITS, type OperationLimits } from './operation-limits.ts';
import { chargeOperation, currentRateLimitHeaders, type Caller } from './rate-limit-charge.ts';

export type PreparedOperation = { document: DocumentNode; errors?: undefined } | { document?: undefined; errors: GraphQLError[] };

/** An operation the transport has parsed and validated, and the caller it came from. */
export interface OperationRequest {
  caller: Caller;
  document: DocumentNode;
  operationName: string | null | undefined;
  transport: Transport;
}

/**
 * What admitting an operation decided. Either way `rateLimitHeaders` are the caller's budgets after it (HTTP
 * sends them; graphql-ws has no headers). An admitted operation is timed until `finished` is called.
 */
export type Admission =
  | { refused: GraphQLError; rateLimitHeaders: [string, string][] }
  | { refused?: undefined; rateLimitHeaders: [string, string][]; finished(): void };

export interface OperationPipelineOptions {
  schema: GraphQLSchema;
  /** Production hides introspection from callers who may not read the schema, and suggestions from messages. */
  production: boolean;
  rateLimits: Pick<RateLimits, 'consumeRequest' | 'requestStatus'>;
  metrics: Pick<Metrics, 'operationLabel' | 'operationStarted' | 'operationFailed'>;
  formatError: ErrorFormatter;
  limits?: OperationLimits;
}

/**
 * What every GraphQL operation goes through, defined once for both transports (SECURITY.md, GraphQL):
 *  1. parse within the token limit, validate with graphql's rules plus the depth, alias and cost limits
 *     (`prepare`; Apollo does this step itself over HTTP, with these parse options and rules, to keep its
 *     document cache);
 *  2. `admit`: the caller's introspection policy, the rate limits charged by the operation's cost, the
 *     operation counted and timed;
 *  3. `failed` and `formatError`: failures counted by their code, and every error masked by the one
 *     formatter under the operation's request id.
 * The adapters only translate: `apolloPlugin` (HTTP) and the graphql-ws hooks in app/graphql-transport.ts.
 * The hardening suite (graphql-hardening.int.test.ts) runs the same cases over both.
 */
export function createOperationPipeline(options: OperationPipelineOptions) {
  const { schema, production, rateLimits, metrics, formatError } = options;
  const limits = options.limits ?? OPERATION_LIMITS;
  const parseOptions: ParseOptions = operationParseOptions(limits);
  const limitRules: ValidationRule[] = operationLimitRules(limits);
  const rules: ValidationRule[] = [...specifiedRules, ...limitRules];

  const prepare = (query: string): PreparedOperation => {
    let document: DocumentNode;
    try {
      document = parse(query, parseOptions);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      return { errors: [withCode(error, 'GRAPHQL_PARSE_FAILED')] };
    }
    const invalid = validate(schema, document, rules);
    if (invalid.length > 0) return { errors: invalid.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED')) };
    return { document };
  };

  const admit = async ({ caller, document, operationName, transport }: OperationRequest): Promise<Admission> => {
    // Per caller, so never one of the cached validation rules (introspection-policy.ts says why).
    const introspection = introspectionError(schema, document, caller.principal, production);
    if (introspection) return { refused: introspection, rateLimitHeaders: currentRateLimitHeaders(rateLimits, caller) };
    const charged = await chargeOperation(rateLimits, caller, document, operationName);
    if (charged.refused) return { refused: charged.refused, rateLimitHeaders: currentRateLimitHeaders(rateLimits, caller) };
    const type = document.definitions.find((d) => d.kind === 'OperationDefinition')?.operation ?? 'query';
    const finished = metrics.operationStarted({ operation: metrics.operationLabel(operationName), type, transport });
    return { rateLimitHeaders: charged.rateLimitHeaders, finished };
  };

  const failed = (operationName: string | null | undefined, errors: readonly unknown[], transport: Transport): void => {
    metrics.operationFailed({ operation: metrics.operationLabel(operationName), code: errorCodeOf(errors[0]), transport });
  };

  return {
    /** For Apollo's own parsing and validation (HTTP): the same limits as `prepare`. */
    parseOptions,
    validationRules: limitRules,
    /** Parses and validates a document (graphql-ws); refusals carry the codes Apollo uses over HTTP. */
    prepare,
    admit,
    failed,
    formatError,
    /** Everything after Apollo's parsing and validation, as one Apollo plugin (HTTP). */
    apolloPlugin: (): ApolloServerPlugin<GraphQLContext> => ({
      async requestDidStart({ request }) {
        let operationName: string | null | undefined = request.operationName;
        let finished: (() => void) | undefined;
        const listener: GraphQLRequestListener<GraphQLContext> = {
          async didResolveOperation({ contextValue, document, operationName: resolvedName, response }) {
            operationName = resolvedName;
            const admission = await admit({ caller: contextValue, document, operationName, transport: 'http' });
            setAll(response.http.headers, admission.rateLimitHeaders);
            if (admission.refused) throw admission.refused;
            finished = admission.finished;
          },
          async didEncounterErrors({ errors, contextValue }) {
            // Apollo formats errors without the context: the tag is how formatError finds the request id.
            for (const error of errors) tagWithRequestId(error, contextValue.requestId);
            failed(operationName, errors, 'http');
          },
          async willSendResponse({ contextValue, response }) {
            // Refused before an operation was charged (unparsable, invalid): the budgets as they stand.
            if (!response.http.headers.has(RATE_LIMIT_HEADER)) setAll(response.http.headers, currentRateLimitHeaders(rateLimits, contextValue));
            finished?.();
          },
        };
        return listener;
      },
    }),
  };
}

export type OperationPipeline = ReturnType<typeof createOperationPipeline>;

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { code } });
}

function setAll(headers: HeaderMap, fields: [string, string][]): void {
  for (const [name, value] of fields) headers.set(name, value);
}

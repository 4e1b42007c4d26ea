import { Kind, type GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '@mascot/contracts';
import { DomainError } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';

/** Codes Apollo and graphql-js assign themselves; they describe the request, so they pass through. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'UNAUTHENTICATED',
]);

function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError';
}

/** Apollo's test for the same thing (requestPipeline's isBadUserInputGraphQLError). */
function isVariableCoercionError(error: GraphQLError): boolean {
  const [node, ...more] = error.nodes ?? [];
  return node?.kind === Kind.VARIABLE_DEFINITION && more.length === 0 && error.message.startsWith(`Variable "$${node.variable.name.value}"`);
}

function findDomainError(error: unknown): DomainError | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof DomainError) return current;
    current = (current as { originalError?: unknown; cause?: unknown }).originalError ?? (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The code a client will see for an error, before formatting (metrics count failures by it). */
export function errorCodeOf(error: unknown): string {
  const domain = findDomainError(error);
  if (domain) return domain.code;
  const code = (error as { extensions?: Record<string, unknown> } | undefined)?.extensions?.['code'];
  return typeof code === 'string' ? code : ErrorCode.INTERNAL_SERVER_ERROR;
}

/**
 * graphql-js ends messages about unknown fields, arguments, types and enum values with
 * `Did you mean "…"?`; answering them lets anyone enumerate a schema whose introspection is off.
 * The same pattern as Apollo's hideSchemaDetailsFromClientErrors, applied to every error we send.
 */
const SUGGESTION = / ?Did you mean(.+?)\?$/;

export interface ErrorFormatterOptions {
  /** Production: no "Did you mean" suggestions in any message. */
  hideSuggestions: boolean;
}

/** Formats one error for a client; `requestId` names the operation in masked errors and in the log. */
export type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown, requestId?: string) => GraphQLFormattedError;

/**
 * The one place errors become what clients see. Domain errors keep their code, message and field
 * errors; request errors keep their graphql-js/Apollo code; everything else is masked as
 * INTERNAL_SERVER_ERROR with the request id, and logged with its stack and the same request id; the
 * stack never leaves the server.
 */
export function createErrorFormatter(logger: Logger, options: ErrorFormatterOptions): ErrorFormatter {
  const clean = (message: string) => (options.hideSuggestions ? message.replace(SUGGESTION, '') : message);
  return (formatted, error, requestId) => {
    const base = { message: clean(formatted.message), locations: formatted.locations, path: formatted.path };
    const domain = findDomainError(error);
    if (domain) {
      return { ...base, message: domain.message, extensions: { code: domain.code, ...domain.details } };
    }
    const code = formatted.extensions?.['code'];
    if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
      return { ...base, extensions: { code } };
    }
    // Over graphql-ws nothing assigns codes the way Apollo does over HTTP. Checked by name: graphql's
    // CJS and ESM builds can both be loaded, defeating instanceof.
    if (isGraphQLError(error) && code === undefined) {
      // Variable coercion errors are the caller's input, as Apollo reports them over HTTP; they wrap
      // the scalar's or enum's own error, so they have an originalError.
      if (isVariableCoercionError(error)) return { ...base, extensions: { code: 'BAD_USER_INPUT' } };
      // Errors about the request itself (no operation, ambiguous operation name) have no cause.
      if (!error.originalError) return { ...base, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    }
    const original = (error as { originalError?: unknown }).originalError ?? error;
    logger.error({ err: original, path: formatted.path, requestId }, 'unexpected error');
    return {
      message: 'Internal server error.',
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...(requestId ? { requestId } : {}) },
    };
  };
}

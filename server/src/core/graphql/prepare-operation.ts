import {
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import type { Principal } from '../auth/index.ts';
import { introspectionError } from './introspection-policy.ts';
import { operationLimitRules, operationParseOptions, type OperationLimits, OPERATION_LIMITS } from './operation-limits.ts';

export type PreparedOperation = { document: DocumentNode; errors?: undefined } | { document?: undefined; errors: GraphQLError[] };

/**
 * What Apollo does for an HTTP request before executing it, for transports that have no Apollo
 * (graphql-ws): parse within the token limit, validate with graphql's rules plus the depth, alias and
 * cost limits, and apply the caller's introspection policy. Refusals carry the codes Apollo uses.
 */
export function createOperationPreparer(options: { schema: GraphQLSchema; production: boolean; limits?: OperationLimits }) {
  const limits = options.limits ?? OPERATION_LIMITS;
  const rules: ValidationRule[] = [...specifiedRules, ...operationLimitRules(limits)];
  const parseOptions = operationParseOptions(limits);

  return (query: string, principal: Principal): PreparedOperation => {
    let document: DocumentNode;
    try {
      document = parse(query, parseOptions);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      return { errors: [withCode(error, 'GRAPHQL_PARSE_FAILED')] };
    }
    const invalid = validate(options.schema, document, rules);
    if (invalid.length > 0) return { errors: invalid.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED')) };
    const refused = introspectionError(options.schema, document, principal, options.production);
    if (refused) return { errors: [withCode(refused, 'GRAPHQL_VALIDATION_FAILED')] };
    return { document };
  };
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { code } });
}

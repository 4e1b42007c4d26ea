import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';

/**
 * How big an operation may be, on HTTP and graphql-ws alike (SECURITY.md, GraphQL). Measured against
 * every operation in server/src/test/operations.ts and the explorer's examples: the deepest is 4
 * fields, the costliest 124, the longest 84 tokens, none uses an alias; GraphiQL's introspection
 * query is 184 tokens.
 */
export const OPERATION_LIMITS = {
  /**
   * Nested fields. Fragments are flattened: a spread or `... on` adds no level, so clients that
   * colocate fragments (Relay, codegen) are not punished, and hiding fields in fragments (even one
   * named `__schema`) hides nothing. Only real `__schema` fields are exempt: introspection is
   * bounded by graphql-js's MaxIntrospectionDepthRule instead.
   */
  maxDepth: 6,
  /** Aliased fields per operation (`__typename` aliases are free): 16 copies of a field are refused. */
  maxAliases: 15,
  /** Lexical tokens per document, counted while parsing, so a huge document is never built. */
  maxTokens: 1000,
  /**
   * graphql-armor's estimate: 1 a scalar, 2 an object, each level's children weigh 1.5×, and a literal
   * `first: n` multiplies its subtree by n (a `$first` variable does not: pages are capped at 100 by
   * the resolvers anyway). One 100-item page of any connection with every field fits (the audit log's
   * costs 4,963); two such pages in one operation do not.
   */
  maxCost: 5000,
} as const;

export type OperationLimits = { [K in keyof typeof OPERATION_LIMITS]: number };

/** graphql-armor reports "Syntax Error: …" for what is a validation error; say what was exceeded instead. */
function reportTo(context: ValidationContext | null, error: GraphQLError) {
  context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, '')));
}

/**
 * The depth, alias and cost rules, to run with graphql's specifiedRules. They report through the
 * ValidationContext instead of throwing, so a refusal is an ordinary GRAPHQL_VALIDATION_FAILED error
 * (400 over HTTP, an error message over graphql-ws) and never an exception out of `validate`.
 */
export function operationLimitRules(limits: OperationLimits = OPERATION_LIMITS): ValidationRule[] {
  const reporting = { onReject: [reportTo], propagateOnRejection: false, exposeLimits: true };
  return [
    maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: true, ...reporting }),
    maxAliasesRule({ n: limits.maxAliases, ...reporting }),
    costLimitRule({ maxCost: limits.maxCost, flattenFragments: true, ignoreIntrospection: true, ...reporting }),
  ] as ValidationRule[];
}

/** graphql-js counts tokens itself while parsing and stops past the limit with a syntax error. */
export function operationParseOptions(limits: OperationLimits = OPERATION_LIMITS): ParseOptions {
  return { maxTokens: limits.maxTokens };
}

import { GraphQLError, NoSchemaIntrospectionCustomRule, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Principal } from '../auth/index.ts';

/**
 * Who may read the schema through introspection (`__schema`, `__type`). Outside production everyone;
 * in production only the callers the explorer is for: members who administer the tenant (owner,
 * admin) and API keys with the `read` scope. `__typename` is not introspection and is always allowed.
 */
export function mayIntrospect(principal: Principal, production: boolean): boolean {
  if (!production) return true;
  if (principal.kind === 'user') return principal.role === 'owner' || principal.role === 'admin';
  if (principal.kind === 'apiKey') return principal.scopes.includes('read');
  return false;
}

/**
 * The refusal of a document that introspects when its caller may not, or none. This depends on the
 * caller, so it cannot be one of Apollo's validationRules: Apollo caches a validated document by its
 * hash and would skip the rule for the next caller sending the same text. One error, naming the first
 * introspection field: graphql-js's rule reports every field of an introspection type.
 */
export function introspectionError(
  schema: GraphQLSchema,
  document: DocumentNode,
  principal: Principal,
  production: boolean,
): GraphQLError | undefined {
  if (mayIntrospect(principal, production)) return undefined;
  const first = firstIntrospection(schema, document);
  if (!first) return undefined;
  return new GraphQLError(first.message, {
    nodes: first.nodes,
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
  });
}

/**
 * The first introspection field of `document`, or null. Remembered per document: Apollo hands every
 * request with the same text the same cached DocumentNode, and walking it again with TypeInfo for each
 * anonymous `{ __typename }` cost about a tenth of such a request.
 */
const introspectionOf = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, GraphQLError | null>>();
function firstIntrospection(schema: GraphQLSchema, document: DocumentNode): GraphQLError | null {
  let known = introspectionOf.get(schema);
  if (!known) introspectionOf.set(schema, (known = new WeakMap()));
  let first = known.get(document);
  if (first === undefined) {
    first = validate(schema, document, [NoSchemaIntrospectionCustomRule])[0] ?? null;
    known.set(document, first);
  }
  return first;
}

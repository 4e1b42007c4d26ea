import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Rate-limit points one GraphQL operation costs: one per field the operation resolves at its top
 * level, that is one per distinct response key. Aliases therefore count separately (`a1: me … a10: me`
 * costs 10, not 1), while `{ me me }` costs 1 because GraphQL merges it into a single execution.
 * Fragment spreads and inline fragments are expanded; `@skip`/`@include` are ignored (a client must
 * not lower the price with a variable). Nested fields are graphql-armor's business (depth, aliases,
 * cost); this is the price of a request in the shared per-IP, per-key and per-tenant budgets.
 * Never less than 1.
 *
 * Meant to run before validation, so it tolerates what validation would reject: an operation name
 * that matches nothing, or several operations without a name to choose, cost as much as the dearest
 * operation; unknown fragments add nothing; each fragment is expanded at most once per operation,
 * so cycles and exponential spread chains (`A { ...B ...B }`, `B { ...C ...C }`, …) stay linear.
 */
export function operationCost(document: DocumentNode, operationName?: string | null): number {
  const operations: OperationDefinitionNode[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const named = operationName ? operations.find((operation) => operation.name?.value === operationName) : undefined;
  const costs = (named ? [named] : operations).map((operation) => {
    const responseKeys = new Set<string>();
    collectResponseKeys(operation.selectionSet, fragments, new Set(), responseKeys);
    return responseKeys.size;
  });
  return Math.max(1, ...costs);
}

function collectResponseKeys(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  expanded: Set<string>,
  into: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      into.add(selection.alias?.value ?? selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectResponseKeys(selection.selectionSet, fragments, expanded, into);
    } else {
      const fragment = fragments.get(selection.name.value);
      // Expanding a fragment again can only add keys already collected.
      if (fragment && !expanded.has(fragment.name.value)) {
        expanded.add(fragment.name.value);
        collectResponseKeys(fragment.selectionSet, fragments, expanded, into);
      }
    }
  }
}

import { Kind, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readOperations, readSchema } from '../scripts/generate.ts';

/**
 * The SDK promises a typed document for every public operation. A root field added to the schema
 * without one in src/operations/*.graphql fails here, so the SDK cannot silently fall behind the API.
 */
describe('the SDK operations', () => {
  it('cover every query, mutation and subscription of schema/schema.graphql', async () => {
    const [schema, operations] = await Promise.all([readSchema(), readOperations()]);
    const covered = new Set(
      operations.flatMap(({ document }) =>
        document.definitions.flatMap((definition) =>
          definition.kind === Kind.OPERATION_DEFINITION
            ? definition.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [`${definition.operation}.${s.name.value}`] : []))
            : [],
        ),
      ),
    );
    const roots: [string, GraphQLObjectType | null | undefined][] = [
      ['query', schema.getQueryType()],
      ['mutation', schema.getMutationType()],
      ['subscription', schema.getSubscriptionType()],
    ];
    const uncovered = roots.flatMap(([operation, type]) =>
      Object.keys(type?.getFields() ?? {}).map((field) => `${operation}.${field}`).filter((field) => !covered.has(field)),
    );
    // Write an operation for each in src/operations/*.graphql, then `npm run sdk:generate`.
    expect(uncovered).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { buildSchema, getVariableValues, Kind, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_OPERATIONS } from './example-operations.ts';

// The committed SDL the server emits (npm run schema:emit): the examples must match what users get.
const schema = buildSchema(readFileSync(new URL('../../../schema/schema.graphql', import.meta.url), 'utf8'));

describe('the explorer’s example operations', () => {
  it('cover the documented flow', () => {
    const fields = EXAMPLE_OPERATIONS.map(({ query }) => {
      const operation = parse(query).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
      const first = operation?.selectionSet.selections[0];
      return first?.kind === Kind.FIELD ? first.name.value : undefined;
    });
    expect(fields).toEqual([
      'signUp', 'logIn', 'me', 'createBot', 'addKnowledgeText', 'publishBot', 'startConversation', 'sendMessage',
      'conversationEvents',
    ]);
  });

  it.each(EXAMPLE_OPERATIONS.map((example) => [example.title, example] as const))(
    '%s validates against schema/schema.graphql',
    (_title, example) => {
      const document = parse(example.query);
      expect(validate(schema, document).map((error) => error.message)).toEqual([]);

      // One named operation per document, so the tab title and the run button are unambiguous.
      const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
      expect(operations).toHaveLength(1);
      const operation = operations[0]!;
      expect(operation.name?.value).toMatch(/^[A-Z]\w+$/);

      // The variables are valid JSON and coerce to the declared types (placeholders are strings).
      const variables: unknown = example.variables === undefined ? {} : JSON.parse(example.variables);
      expect(typeof variables).toBe('object');
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables as Record<string, unknown>);
      expect((coerced.errors ?? []).map((error) => error.message)).toEqual([]);
    },
  );

  it('the subscription asks for every ConversationEvent member', () => {
    const subscription = EXAMPLE_OPERATIONS.at(-1)!.query;
    for (const type of ['ConversationSubscribed', 'ReplyStarted', 'ReplyDelta', 'ReplyCompleted', 'ReplyFailed']) {
      expect(subscription).toContain(`on ${type} {`);
    }
    expect(subscription).toMatch(/sources \{\s+marker\s+documentTitle\s+snippet/);
    expect(subscription).toMatch(/code\s+reason/);
  });
});

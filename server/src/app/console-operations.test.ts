import { readFileSync } from 'node:fs';
import { buildSchema, Kind, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationLimitRules, operationParseOptions } from '../core/graphql/index.ts';
import * as shellOperations from '../../console/src/app/operations.ts';
import * as conversationOperations from '../../console/src/conversation/operations.ts';
import * as inboxOperations from '../../console/src/screens/inbox/operations.ts';

// The Console's GraphQL documents (hand-written, no codegen yet) against the committed schema and the
// limits every request meets (depth, aliases, tokens, cost): a field renamed in the API or a list query that
// grew too costly fails here rather than in front of an agent.
const schema = buildSchema(readFileSync(new URL('../../../schema/schema.graphql', import.meta.url), 'utf8'));

const exported: [string, unknown][] = Object.entries({ ...shellOperations, ...conversationOperations, ...inboxOperations });
const documents = exported
  .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && /^\s*(query|mutation|subscription)\b/.test(entry[1]));

describe('the Console’s operations', () => {
  it('are all found', () => {
    expect(documents.map(([name]) => name)).toEqual(expect.arrayContaining([
      'VIEWER_QUERY', 'LOG_IN', 'REFRESH_SESSION', 'CONVERSATION_QUERY', 'CONVERSATIONS_QUERY', 'CONVERSATION_EVENTS',
      'QUEUE_SUBSCRIPTION', 'INBOX_QUERY', 'TAKE_OVER', 'SEND_AGENT_MESSAGE', 'HAND_BACK',
    ]));
  });

  it.each(documents)('%s validates against schema/schema.graphql within the server’s limits', (_name, query) => {
    const document = parse(query, operationParseOptions());
    const errors = validate(schema, document, [...specifiedRules, ...operationLimitRules()]);
    expect(errors.map((error) => error.message)).toEqual([]);
    const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    expect(operations).toHaveLength(1);
    expect(operations[0]!.name?.value).toMatch(/^(Console|Inbox)[A-Z]\w+$/);
  });
});

import { readFileSync } from 'node:fs';
import { buildSchema, Kind, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationLimitRules, operationParseOptions } from '../core/graphql/index.ts';
import * as shellOperations from '../../console/src/app/operations.ts';
import * as conversationOperations from '../../console/src/conversation/operations.ts';
import * as inboxOperations from '../../console/src/screens/inbox/operations.ts';
import * as analyticsOperations from '../../console/src/screens/analytics/analytics-queries.ts';
import * as knowledgeGapOperations from '../../console/src/screens/knowledge-gaps/operations.ts';
import * as leadOperations from '../../console/src/screens/leads/operations.ts';
import * as platformOperations from '../../console/src/screens/platform/operations.ts';
import * as teamOperations from '../../console/src/screens/team/operations.ts';

// The Console's GraphQL documents (hand-written, no codegen yet) against the committed schema and the static
// limits every request meets (depth, aliases, tokens, cost as graphql-armor estimates it): a field renamed in the
// API fails here rather than in front of an agent. A `first: $first` variable does not multiply the estimate
// (operation-limits.ts), so a list query may still be refused by the server's cost limit: the browser tests,
// which run every screen against a real server, catch that.
const schema = buildSchema(readFileSync(new URL('../../../schema/schema.graphql', import.meta.url), 'utf8'));

const modules = {
  shellOperations, conversationOperations, inboxOperations,
  analyticsOperations, knowledgeGapOperations, leadOperations, platformOperations, teamOperations,
};
const documents = Object.entries(modules).flatMap(([module, exported]) =>
  Object.entries(exported as Record<string, unknown>)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && /^\s*(query|mutation|subscription)\b/.test(entry[1]))
    .map(([name, query]) => [`${module}.${name}`, query] as const),
);

describe('the Console’s operations', () => {
  it('are all found', () => {
    expect(documents.map(([name]) => name)).toEqual(expect.arrayContaining([
      'shellOperations.VIEWER_QUERY', 'shellOperations.LOG_IN', 'shellOperations.REFRESH_SESSION',
      'conversationOperations.CONVERSATION_QUERY', 'conversationOperations.CONVERSATIONS_QUERY', 'conversationOperations.CONVERSATION_EVENTS',
      'inboxOperations.QUEUE_SUBSCRIPTION', 'inboxOperations.INBOX_QUERY', 'inboxOperations.TAKE_OVER',
      'inboxOperations.SEND_AGENT_MESSAGE', 'inboxOperations.HAND_BACK',
    ]));
    // The Analytics, Leads, Knowledge gaps, Team and Platform screens' documents.
    expect(documents.filter(([name]) => !/^(shell|conversation|inbox)Operations\./.test(name)).length).toBeGreaterThanOrEqual(30);
  });

  it.each(documents)('%s validates against schema/schema.graphql within the server’s limits', (name, query) => {
    const document = parse(query, operationParseOptions());
    const errors = validate(schema, document, [...specifiedRules, ...operationLimitRules()]);
    expect(errors.map((error) => error.message)).toEqual([]);
    const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    expect(operations).toHaveLength(1);
    // Named for the server's per-operation metrics: Inbox… for the Inbox's own documents, Console… for the rest.
    expect(operations[0]!.name?.value).toMatch(name.startsWith('inboxOperations.') ? /^(Console|Inbox)[A-Z]\w+$/ : /^Console[A-Z]\w+$/);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, validate, buildSchema } from 'graphql';
import { stringifyDocument } from '@urql/core';
import { CONVERSATION_EVENTS, endpointsFor, SEND_MESSAGE, START_CONVERSATION } from './graphql-client.ts';

// Validated against the committed schema the server emits, so a renamed or retyped
// field breaks this test rather than the widget in production.
const schema = buildSchema(readFileSync(new URL('../../../schema/schema.graphql', import.meta.url), 'utf8'));

describe('operation documents', () => {
  it.each([
    ['StartConversation', START_CONVERSATION],
    ['SendMessage', SEND_MESSAGE],
    ['ConversationEvents', CONVERSATION_EVENTS],
  ])('%s is valid against schema/schema.graphql', (_name, document) => {
    expect(validate(schema, parse(stringifyDocument(document)))).toEqual([]);
  });
});

describe('endpointsFor', () => {
  it('uses /graphql on the same origin over http(s) and ws(s)', () => {
    expect(endpointsFor('https://mascot.example')).toEqual({
      http: 'https://mascot.example/graphql',
      ws: 'wss://mascot.example/graphql',
    });
    expect(endpointsFor('http://localhost:4000')).toEqual({
      http: 'http://localhost:4000/graphql',
      ws: 'ws://localhost:4000/graphql',
    });
  });
});

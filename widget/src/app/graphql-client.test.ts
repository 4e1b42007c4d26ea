import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, validate, buildSchema } from 'graphql';
import { stringifyDocument } from '@urql/core';
import {
  CONVERSATION_EVENTS,
  endpointsFor,
  reconnectDelayMs,
  rejectedFields,
  SEND_MESSAGE,
  START_CONVERSATION,
  SUBMIT_CONTACT_DETAILS,
} from './graphql-client.ts';
import { VISITOR_MESSAGES } from './stored-history.ts';
import { CONVERSATION_TRANSCRIPT } from './transcript-download.ts';

// Validated against the committed schema the server emits, so a renamed or retyped
// field breaks this test rather than the widget in production.
const schema = buildSchema(readFileSync(new URL('../../../schema/schema.graphql', import.meta.url), 'utf8'));

describe('operation documents', () => {
  it.each([
    ['StartConversation', START_CONVERSATION],
    ['SendMessage', SEND_MESSAGE],
    ['ConversationEvents', CONVERSATION_EVENTS],
    ['SubmitContactDetails', SUBMIT_CONTACT_DETAILS],
    ['VisitorMessages', VISITOR_MESSAGES],
    ['ConversationTranscript', CONVERSATION_TRANSCRIPT],
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

describe('reconnectDelayMs', () => {
  it('backs off from half a second to at most eight, with up to 50 % jitter', () => {
    expect([0, 1, 2, 3, 4, 10].map((retries) => reconnectDelayMs(retries, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(reconnectDelayMs(0, () => 0.999)).toBeLessThanOrEqual(750);
    expect(reconnectDelayMs(10, () => 0.999)).toBeLessThanOrEqual(12_000);
  });
});

describe('rejectedFields', () => {
  it("names the input fields of a BAD_USER_INPUT error by their last path segment", () => {
    const error = {
      graphQLErrors: [{ extensions: { code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'email', message: 'x' }, { field: 'input.consent', message: 'y' }] } }],
    };
    expect(rejectedFields(error)).toEqual(['email', 'consent']);
    expect(rejectedFields({ graphQLErrors: [{ extensions: { code: 'NOT_FOUND' } }] })).toEqual([]);
    expect(rejectedFields(undefined)).toEqual([]);
  });
});

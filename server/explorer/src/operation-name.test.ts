import { describe, expect, it } from 'vitest';
import { operationNameFor } from './operation-name.ts';

describe('operationNameFor', () => {
  it('keeps the requested name when the document defines it', () => {
    expect(operationNameFor('query A { a } mutation B { b }', 'B')).toBe('B');
  });

  it('replaces a name from another document with the first operation of this one', () => {
    expect(operationNameFor('query Me { me { id } }', 'SignUp')).toBe('Me');
    expect(operationNameFor('fragment F on Query { a } query Second { ...F } query Third { a }', 'SignUp')).toBe('Second');
  });

  it('sends no name for an anonymous operation', () => {
    expect(operationNameFor('{ __typename }', 'SignUp')).toBeUndefined();
    expect(operationNameFor('{ __typename }', null)).toBeUndefined();
  });

  it('leaves a document that does not parse to the server', () => {
    expect(operationNameFor('query Broken {', 'Broken')).toBe('Broken');
    expect(operationNameFor('query Broken {', undefined)).toBeUndefined();
  });
});

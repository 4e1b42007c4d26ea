import { describe, expect, it } from 'vitest';
import { MAX_IDEMPOTENCY_KEY_LENGTH, parseIdempotencyKey, requestFingerprint } from './idempotency-key.ts';

describe('parseIdempotencyKey', () => {
  it('takes a structured-field string, unescaped, and a bare token as it is', () => {
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    expect(parseIdempotencyKey('"a \\"quoted\\" key"')).toBe('a "quoted" key');
    expect(parseIdempotencyKey(' order-42 ')).toBe('order-42');
  });

  it('refuses empty, too long, non-ASCII and repeated keys', () => {
    expect(parseIdempotencyKey('')).toBeUndefined();
    expect(parseIdempotencyKey('""')).toBeUndefined();
    expect(parseIdempotencyKey('k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH))).toHaveLength(MAX_IDEMPOTENCY_KEY_LENGTH);
    expect(parseIdempotencyKey('k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1))).toBeUndefined();
    expect(parseIdempotencyKey('clé')).toBeUndefined();
    expect(parseIdempotencyKey('"a", "b"')).toBeUndefined();
    expect(parseIdempotencyKey('a b')).toBeUndefined();
  });
});

describe('requestFingerprint', () => {
  const query = 'mutation Send($text: String!) { sendMessage(text: $text) { id } }';

  it('is the same for the same operation whatever the order of variable keys', () => {
    expect(requestFingerprint({ query, variables: { a: 1, b: { c: [1, 2], d: 'x' } }, operationName: 'Send' }))
      .toBe(requestFingerprint({ query, variables: { b: { d: 'x', c: [1, 2] }, a: 1 }, operationName: 'Send' }));
  });

  it('differs when the text, a variable or the operation name differs', () => {
    const base = requestFingerprint({ query, variables: { text: 'hi' }, operationName: 'Send' });
    expect(requestFingerprint({ query: `${query} `, variables: { text: 'hi' }, operationName: 'Send' })).not.toBe(base);
    expect(requestFingerprint({ query, variables: { text: 'hello' }, operationName: 'Send' })).not.toBe(base);
    expect(requestFingerprint({ query, variables: { text: 'hi' } })).not.toBe(base);
  });
});

import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../auth/index.ts';
import { introspectionError, mayIntrospect } from './introspection-policy.ts';

const member = (role: Extract<Principal, { kind: 'user' }>['role']): Principal => ({ kind: 'user', userId: 'u', tenantId: 't', role });
const apiKey = (...scopes: Extract<Principal, { kind: 'apiKey' }>['scopes']): Principal => ({ kind: 'apiKey', keyId: 'k', tenantId: 't', scopes });

describe('mayIntrospect', () => {
  it('lets everyone introspect outside production', () => {
    expect(mayIntrospect({ kind: 'anonymous' }, false)).toBe(true);
  });

  it('lets only owners, admins and read-scoped API keys introspect in production', () => {
    expect(mayIntrospect(member('owner'), true)).toBe(true);
    expect(mayIntrospect(member('admin'), true)).toBe(true);
    expect(mayIntrospect(apiKey('read', 'write'), true)).toBe(true);
    for (const role of ['designer', 'agent', 'analyst', 'viewer'] as const) expect(mayIntrospect(member(role), true)).toBe(false);
    expect(mayIntrospect(apiKey('write', 'publish', 'analytics'), true)).toBe(false);
    expect(mayIntrospect({ kind: 'visitor', tenantId: 't', botId: 'b', conversationId: 'c' }, true)).toBe(false);
    expect(mayIntrospect({ kind: 'anonymous' }, true)).toBe(false);
  });
});

describe('introspectionError', () => {
  const schema = buildSchema('type Query { hello: String }');

  it('refuses __schema and __type in any fragment with one error, and ignores __typename', () => {
    const hidden = parse('{ ...F } fragment F on Query { __type(name: "Query") { fields { name } } }');
    expect(introspectionError(schema, hidden, { kind: 'anonymous' }, true)?.message).toBe(
      'GraphQL introspection has been disabled, but the requested query contained the field "__type".',
    );
    expect(introspectionError(schema, parse('{ __typename hello }'), { kind: 'anonymous' }, true)).toBeUndefined();
    expect(introspectionError(schema, hidden, member('owner'), true)).toBeUndefined();
  });
});

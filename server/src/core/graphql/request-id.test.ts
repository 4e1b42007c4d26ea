import { describe, expect, it } from 'vitest';
import { requestIdFrom } from './request-id.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  it('keeps a well-formed incoming id', () => {
    for (const id of ['0b3e6a56-9a1f-4c0e-8f3f-2d2f1b5b8c11', '01J9ZKX3Q4', 'Root=1-5759e988-bd862e3fe1be46a994272793', 'abc+/=']) {
      expect(requestIdFrom(id)).toBe(id);
    }
    expect(requestIdFrom(['first-id', 'second-id'])).toBe('first-id');
  });

  it('replaces a missing, overlong or unsafe id with a fresh UUID', () => {
    for (const id of [undefined, '', 'x'.repeat(129), 'two words', 'line\nbreak', '"quoted"', '-leading-dash']) {
      expect(requestIdFrom(id)).toMatch(UUID);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors/index.ts';
import { admitHostOrigin, ORIGIN_NOT_ALLOWED } from './embed-origin.ts';

const OWN = 'https://mascot.example';
const SHOP = 'https://shop.example.com';
const claim = (over: Partial<Parameters<typeof admitHostOrigin>[0]>) =>
  admitHostOrigin({ allowedOrigins: [SHOP], requestOrigin: undefined, hostOrigin: undefined, ownOrigin: OWN, ...over });

function reasonOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error instanceof DomainError ? `${error.code}/${String(error.details['reason'] ?? error.details.fieldErrors?.[0]?.field)}` : error;
  }
  return 'admitted';
}

describe('admitHostOrigin', () => {
  it('records a foreign page on the list as the host, whatever it claims', () => {
    expect(claim({ requestOrigin: SHOP, hostOrigin: 'https://other.example' })).toBe(SHOP);
  });

  it('refuses a foreign page off the list, and an opaque "null" origin', () => {
    expect(reasonOf(() => claim({ requestOrigin: 'https://evil.example' }))).toBe(`FORBIDDEN/${ORIGIN_NOT_ALLOWED}`);
    expect(reasonOf(() => claim({ requestOrigin: 'null' }))).toBe(`FORBIDDEN/${ORIGIN_NOT_ALLOWED}`);
  });

  it('needs the iframe (our own origin) to name an allowed host when the list is not empty', () => {
    expect(reasonOf(() => claim({ requestOrigin: OWN }))).toBe(`FORBIDDEN/${ORIGIN_NOT_ALLOWED}`);
    expect(reasonOf(() => claim({ requestOrigin: OWN, hostOrigin: 'https://evil.example' }))).toBe(`FORBIDDEN/${ORIGIN_NOT_ALLOWED}`);
    expect(claim({ requestOrigin: OWN, hostOrigin: 'https://SHOP.example.com:443' })).toBe(SHOP);
  });

  it('admits anything when the list is empty, recording what is known', () => {
    expect(claim({ allowedOrigins: [], requestOrigin: OWN })).toBeNull();
    expect(claim({ allowedOrigins: [], requestOrigin: OWN, hostOrigin: 'http://localhost:8080' })).toBe('http://localhost:8080');
    expect(claim({ allowedOrigins: [], requestOrigin: 'null' })).toBeNull();
  });

  it('refuses a host origin that is not an origin', () => {
    expect(reasonOf(() => claim({ hostOrigin: 'javascript:alert(1)' }))).toBe('BAD_USER_INPUT/hostOrigin');
    expect(reasonOf(() => claim({ hostOrigin: `${SHOP}/page` }))).toBe('BAD_USER_INPUT/hostOrigin');
  });

  it('without an Origin header (not a browser) checks only a claimed host', () => {
    expect(claim({})).toBeNull();
    expect(reasonOf(() => claim({ hostOrigin: 'https://evil.example' }))).toBe(`FORBIDDEN/${ORIGIN_NOT_ALLOWED}`);
  });
});

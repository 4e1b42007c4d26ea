import { describe, expect, it } from 'vitest';
import { isOriginAllowed, normalizeOrigin } from './origins.ts';

describe('normalizeOrigin', () => {
  it.each([
    ['https://example.com', 'https://example.com'],
    ['HTTPS://Example.COM/', 'https://example.com'],
    ['https://example.com:443', 'https://example.com'],
    ['http://example.com:80/', 'http://example.com'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['  https://shop.example.com  ', 'https://shop.example.com'],
    ['https://bücher.de', 'https://xn--bcher-kva.de'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
  ])('writes %s as the browser sends it: %s', (input, origin) => {
    expect(normalizeOrigin(input)).toBe(origin);
  });

  it.each([
    'https://example.com/shop',
    'https://example.com?x=1',
    'https://example.com#top',
    'https://user:pass@example.com',
    'https://*.example.com',
    'ftp://example.com',
    'example.com',
    'null',
    '',
  ])('refuses %j, which is not an http(s) origin', (input) => {
    expect(normalizeOrigin(input)).toBeNull();
  });
});

describe('isOriginAllowed', () => {
  it('allows any origin when the list is empty', () => {
    expect(isOriginAllowed([], 'https://anywhere.example')).toBe(true);
  });

  it('allows listed origins however the browser spells them, and nothing else', () => {
    const allowed = ['https://example.com'];
    expect(isOriginAllowed(allowed, 'https://EXAMPLE.com')).toBe(true);
    expect(isOriginAllowed(allowed, 'https://shop.example.com')).toBe(false);
    expect(isOriginAllowed(allowed, 'http://example.com')).toBe(false);
    expect(isOriginAllowed(allowed, 'null')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { createSocketOriginPolicy } from './socket-origin.ts';

const policy = (production: boolean) =>
  createSocketOriginPolicy({ ownUrl: () => 'https://mascot.example.com', allowedOrigins: ['https://partner.example'], production });

describe('createSocketOriginPolicy', () => {
  it("allows sockets without an Origin (not a browser), our own origin and the configured ones", () => {
    const allowed = policy(true);
    expect(allowed(undefined, 'mascot.example.com')).toBe(true);
    expect(allowed('https://mascot.example.com', 'mascot.example.com')).toBe(true);
    expect(allowed('https://MASCOT.example.com:443', 'mascot.example.com')).toBe(true);
    expect(allowed('https://partner.example', 'mascot.example.com')).toBe(true);
  });

  it('refuses other origins, other schemes and ports of ours, and opaque origins', () => {
    const allowed = policy(true);
    for (const origin of ['https://evil.example', 'http://mascot.example.com', 'https://mascot.example.com:8443', 'null', 'not a url']) {
      expect(allowed(origin, 'mascot.example.com')).toBe(false);
    }
  });

  it('accepts the Host the socket connected to as same-origin outside production only', () => {
    expect(policy(false)('http://localhost:4000', 'localhost:4000')).toBe(true);
    expect(policy(false)('http://localhost:4000', '127.0.0.1:4000')).toBe(false);
    expect(policy(true)('http://localhost:4000', 'localhost:4000')).toBe(false);
  });
});

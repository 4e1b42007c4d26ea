import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { clientIpKey, createClientAddress } from './client-ip.ts';

describe('clientIpKey', () => {
  it('keeps IPv4 addresses as they are', () => {
    expect(clientIpKey('203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 client', () => {
    expect(clientIpKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientIpKey('::FFFF:cb00:7107')).toBe('203.0.113.7');
  });

  it('counts IPv6 clients per /64, however the address is written', () => {
    const key = '2001:db8:1:2::/64';
    expect(clientIpKey('2001:db8:1:2::1')).toBe(key);
    expect(clientIpKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe(key);
    expect(clientIpKey('2001:DB8:1:2:a:b:c:d')).toBe(key);
    expect(clientIpKey('2001:db8:1:3::1')).not.toBe(key);
    expect(clientIpKey('::1')).toBe('0:0:0:0::/64');
    expect(clientIpKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('puts clients without an address in one bucket and keeps odd values bounded', () => {
    expect(clientIpKey(undefined)).toBe('unknown');
    expect(clientIpKey('')).toBe('unknown');
    expect(clientIpKey('x'.repeat(300))).toBe(`other:${'x'.repeat(64)}`);
  });
});

describe('createClientAddress', () => {
  // What proxy-addr reads of a request: the peer's address and the X-Forwarded-For header.
  const request = (peer: string | undefined, forwardedFor?: string) =>
    ({ socket: { remoteAddress: peer }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }) as unknown as IncomingMessage;

  it('takes the peer and ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(createClientAddress(false)(request('192.0.2.1', '203.0.113.9'))).toBe('192.0.2.1');
    expect(createClientAddress(0)(request('192.0.2.1', '203.0.113.9'))).toBe('192.0.2.1');
  });

  it('walks back as many hops as trusted, and no further', () => {
    const header = '203.0.113.9, 198.51.100.4, 10.0.0.2';
    expect(createClientAddress(1)(request('10.0.0.1', header))).toBe('10.0.0.2');
    expect(createClientAddress(2)(request('10.0.0.1', header))).toBe('198.51.100.4');
    expect(createClientAddress(9)(request('10.0.0.1', header))).toBe('203.0.113.9');
  });

  it('believes only listed proxies, by address, range or name', () => {
    const header = '203.0.113.9, 10.1.2.3';
    expect(createClientAddress(['loopback', '10.0.0.0/8'])(request('127.0.0.1', header))).toBe('203.0.113.9');
    expect(createClientAddress(['loopback'])(request('127.0.0.1', header))).toBe('10.1.2.3');
    expect(createClientAddress(['loopback'])(request('192.0.2.1', header))).toBe('192.0.2.1');
    expect(createClientAddress(['loopback'])(request(undefined, header))).toBeUndefined();
  });
});

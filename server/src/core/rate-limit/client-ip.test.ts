import { describe, expect, it } from 'vitest';
import { clientIpKey } from './client-ip.ts';

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

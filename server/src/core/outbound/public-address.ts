import ipaddr from 'ipaddr.js';

/** IPv6 global unicast (RFC 4291 §2.4): everything public lives here; the rest is special or unassigned. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * Whether the server may reach an address on a tenant's behalf: public unicast only. Classification is
 * ipaddr.js's (kept current with the IANA special-purpose registries), so loopback, private, link-local
 * (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast, broadcast, reserved, unique-local,
 * and the IPv6 forms that embed an IPv4 address (6to4, Teredo, NAT64) are all refused. IPv4-mapped IPv6
 * (`::ffff:127.0.0.1`) is judged as the IPv4 it maps. ipaddr.js calls `::/96` (deprecated
 * IPv4-compatible `::127.0.0.1`) unicast, hence the extra 2000::/3 test for IPv6.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  if (parsed.range() !== 'unicast') return false;
  return parsed.kind() === 'ipv4' || (parsed as ipaddr.IPv6).match(GLOBAL_UNICAST_V6);
}

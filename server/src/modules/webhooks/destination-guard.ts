import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Decides, at send time, whether a webhook may go to a URL: every address its host resolves to must
 * be public unicast. Loopback, private, link-local (cloud metadata at 169.254.169.254), carrier-grade
 * NAT, multicast, unique-local and the IPv6 forms that embed IPv4 are refused, so a tenant cannot
 * aim Mascot at its own network. The caller then connects to the address checked here, never
 * resolving again, so DNS rebinding between check and connect cannot slip through.
 */
export interface CheckedDestination {
  url: URL;
  /** The address to connect to. */
  address: string;
  family: 4 | 6;
}

export class DestinationRefusedError extends Error {
  override name = 'DestinationRefusedError';
}

/** Whether an address is one a webhook may reach; IPv4-mapped IPv6 is judged as the IPv4 it maps. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

export async function checkDestination(
  rawUrl: string,
  options: { allowedPrivateHosts: readonly string[] },
): Promise<CheckedDestination> {
  const url = new URL(rawUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DestinationRefusedError(`unsupported scheme ${url.protocol}`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const exempt = options.allowedPrivateHosts.includes(host.toLowerCase());
  const addresses = isIP(host)
    ? [{ address: host, family: isIP(host) as 4 | 6 }]
    : (await lookup(host, { all: true, verbatim: true }).catch(() => {
        throw new DestinationRefusedError(`${host} does not resolve`);
      })).map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
  if (addresses.length === 0) throw new DestinationRefusedError(`${host} does not resolve`);
  // All of them, not just the first: the connection could otherwise be steered to a private one.
  const refused = exempt ? undefined : addresses.find((a) => !isPublicAddress(a.address));
  if (refused) throw new DestinationRefusedError(`${host} resolves to ${refused.address}, a non-public address`);
  return { url, ...addresses[0]! };
}

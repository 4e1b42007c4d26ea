import type { IncomingMessage } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';
import proxyaddr from 'proxy-addr';

/**
 * Which proxies in front of the server may say who the client is (X-Forwarded-For), like Express's
 * `trust proxy`: `false` none (the socket's peer is the client), a number the closest that many
 * hops, or addresses, CIDR ranges and the names `loopback`, `linklocal`, `uniquelocal`.
 */
export type TrustProxy = false | number | string[];

/**
 * The client address of an HTTP request or a WebSocket upgrade, one rule for both transports: the
 * socket's peer, or, when that peer is a trusted proxy, the address it forwarded, walking
 * X-Forwarded-For from the right for as long as the hops are trusted (proxy-addr, as Express does).
 * An untrusted client's own X-Forwarded-For entries are never believed.
 */
export function createClientAddress(trust: TrustProxy): (request: IncomingMessage) => string | undefined {
  if (trust === false || trust === 0) return (request) => request.socket.remoteAddress;
  const trusted = typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : proxyaddr.compile(trust);
  // A socket already closed has no address; proxy-addr would report the string "undefined".
  return (request) => (request.socket.remoteAddress ? proxyaddr(request, trusted) : undefined);
}

/** Throws a TypeError naming the entry when `list` is not addresses, CIDR ranges or proxy-addr's names. */
export function validateTrustedProxies(list: string[]): void {
  proxyaddr.compile(list);
}

/**
 * The bucket a client address is counted in.
 * - IPv4 addresses count alone; IPv4-mapped IPv6 (`::ffff:203.0.113.7`, what a dual-stack socket
 *   reports) counts as the IPv4 address, so the same client is not split over two buckets.
 * - IPv6 addresses count per /64: one subscriber usually gets a whole /64 and can rotate through it
 *   at will, so a per-address limit would be no limit.
 * - A missing address (a socket already closed) shares the bucket `unknown`.
 */
export function clientIpKey(ip: string | undefined): string {
  const address = ip?.trim().replace(/%.*$/, ''); // zone ids (fe80::1%eth0) name an interface, not a client
  if (!address) return 'unknown';
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return `other:${address.slice(0, 64)}`;
  const groups = expandIPv6(address);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return `${groups.slice(0, 4).map((group) => group.toString(16)).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted IPv4 converted). */
function expandIPv6(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const headGroups = parse(head);
  const tailGroups = tail === undefined ? [] : parse(tail);
  const zeros = new Array<number>(8 - headGroups.length - tailGroups.length).fill(0);
  return [...headGroups, ...zeros, ...tailGroups];
}

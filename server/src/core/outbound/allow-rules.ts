import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * One entry of the operator's allowlist of private destinations (MASCOT_OUTBOUND_ALLOWED_PRIVATE):
 * - `http://10.0.0.5:11434` — an origin: that scheme, host and port exactly, as written in the URL;
 * - `ollama.internal` or `10.0.0.5` — a host as written in the URL, any scheme and port;
 * - `10.0.0.0/8` — a range: any URL whose host resolves into it.
 * Origins and hosts match what the tenant wrote (after URL normalisation, so `http://0x7f.1/` is
 * `127.0.0.1`), never what a name resolves to: allowing `127.0.0.1` does not allow `localhost` or a
 * tenant's own name pointed at 127.0.0.1. Only ranges look at resolved addresses.
 */
export type AllowRule =
  | { kind: 'origin'; origin: string }
  | { kind: 'host'; host: string }
  | { kind: 'range'; range: [ipaddr.IPv4 | ipaddr.IPv6, number] };

/** A URL's host without IPv6 brackets, lower case, as the allowlist and the resolver want it. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/;

/** Parses one entry, or says why it is not one. */
export function parseAllowRule(entry: string): AllowRule | string {
  const text = entry.trim();
  if (text.includes('://')) {
    if (!URL.canParse(text)) return `"${text}" is not a URL`;
    const url = new URL(text);
    const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
    if (!['http:', 'https:'].includes(url.protocol) || !bare) return `"${text}" is not an origin such as http://10.0.0.5:11434`;
    return { kind: 'origin', origin: url.origin };
  }
  if (text.includes('/')) {
    if (!ipaddr.isValidCIDR(text)) return `"${text}" is not an address range such as 10.0.0.0/8`;
    const [address, bits] = ipaddr.parseCIDR(text);
    // An IPv4-mapped range (::ffff:10.0.0.0/104) is kept as written; addresses are compared after ipaddr.process.
    return { kind: 'range', range: [address, bits] };
  }
  const unbracketed = text.replace(/^\[(.*)\]$/, '$1');
  if (isIP(unbracketed)) return { kind: 'host', host: bareHost(new URL(`http://${isIP(unbracketed) === 6 ? `[${unbracketed}]` : unbracketed}`)) };
  if (HOST_NAME.test(text.toLowerCase())) return { kind: 'host', host: text.toLowerCase().replace(/\.$/, '') };
  return `"${text}" is not an origin, a host name, an address or an address range`;
}

/** Parses a comma-separated allowlist; `errors` names every entry that is none of the forms above. */
export function parseAllowList(value: string | undefined): { rules: AllowRule[]; errors: string[] } {
  const rules: AllowRule[] = [];
  const errors: string[] = [];
  for (const entry of (value ?? '').split(',').map((item) => item.trim()).filter(Boolean)) {
    const rule = parseAllowRule(entry);
    if (typeof rule === 'string') errors.push(rule);
    else rules.push(rule);
  }
  return { rules, errors };
}

/** Whether a URL is allowed by name (origin or host rules), before anything is resolved. */
export function allowedByName(rules: readonly AllowRule[], url: URL): boolean {
  const host = bareHost(url);
  return rules.some((rule) => (rule.kind === 'origin' ? rule.origin === url.origin : rule.kind === 'host' && rule.host === host));
}

/** Whether a resolved address falls in one of the ranges. */
export function allowedByRange(rules: readonly AllowRule[], address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return rules.some((rule) => {
    if (rule.kind !== 'range') return false;
    const [network, bits] = rule.range;
    return network.kind() === parsed.kind() && parsed.match(network, bits);
  });
}

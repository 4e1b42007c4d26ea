import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAllowList, type AllowRule } from './allow-rules.ts';
import { DestinationRefusal, OutboundPolicy, findDestinationRefusal, type HostResolver } from './outbound-policy.ts';
import { isPublicAddress } from './public-address.ts';

// Real local HTTP servers on loopback, reached through the policy's real undici dispatcher.
interface LocalServer {
  origin: string;
  port: number;
  requests: { url: string; headers: IncomingHttpHeaders }[];
  server: Server;
}

async function localServer(answer: (res: ServerResponse) => void = (res) => res.end('ok')): Promise<LocalServer> {
  const requests: LocalServer['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => answer(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, port, requests, server };
}

let target: LocalServer;
let redirector: LocalServer;
const policies: OutboundPolicy[] = [];

function policy(allow: AllowRule[] | string = [], resolve?: HostResolver): OutboundPolicy {
  const rules = typeof allow === 'string' ? parseAllowList(allow).rules : allow;
  const made = new OutboundPolicy({ allowPrivate: rules, ...(resolve ? { resolve } : {}) });
  policies.push(made);
  return made;
}

/** Plays DNS for names that no real resolver knows, counting the questions. */
function fakeDns(table: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve: HostResolver = async (hostname) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }) as const);
  };
  return { resolve, asked };
}

async function refusalOf(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  return findDestinationRefusal(error)?.reason;
}

beforeAll(async () => {
  target = await localServer();
  redirector = await localServer((res) => res.writeHead(302, { location: `${target.origin}/internal` }).end());
});
afterAll(async () => {
  await Promise.all(policies.map((p) => p.close()));
  await Promise.all([target, redirector].map((s) => new Promise((resolve) => s?.server.close(resolve))));
});
beforeEach(() => {
  target.requests.length = 0;
  redirector.requests.length = 0;
});

describe('public addresses', () => {
  it('accepts public unicast addresses only, judging IPv4-mapped IPv6 as the IPv4 it maps', () => {
    for (const ok of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:93.184.216.34']) expect(isPublicAddress(ok), ok).toBe(true);
    for (const bad of [
      '127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '192.0.2.1',
      '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00::1', 'fec0::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1',
      '::127.0.0.1', '64:ff9b::7f00:1', '2002:7f00:1::', '2001::1', '2001:db8::1', 'ff02::1', 'not-an-ip',
    ]) expect(isPublicAddress(bad), bad).toBe(false);
  });
});

describe('outbound policy: the check', () => {
  it('refuses loopback, private and link-local URLs in every numeric and IPv6 spelling', async () => {
    const none = policy();
    for (const url of [
      'http://127.0.0.1/', 'http://2130706433/', 'http://0x7f.1/', 'http://017700000001/', 'http://127.1:8080/',
      'http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]/', 'http://[::1]/', 'http://[::127.0.0.1]/', 'http://0.0.0.0/',
      'http://10.0.0.1/', 'http://[fd00::1]/', 'http://169.254.169.254/latest/meta-data', 'https://192.168.0.10:8443/v1',
    ]) expect(await refusalOf(none.check(url)), url).toBe(DestinationRefusal.DESTINATION_NOT_ALLOWED);
    expect(await refusalOf(none.check('ftp://93.184.216.34/'))).toBe(DestinationRefusal.UNSUPPORTED_SCHEME);
    await expect(none.check('https://93.184.216.34/v1')).resolves.toMatchObject({ addresses: [{ address: '93.184.216.34', family: 4 }] });
  });

  it('refuses a name that resolves to loopback, and a name with any private address among public ones', async () => {
    const dns = fakeDns({ 'llm.example.test': ['127.0.0.1'], 'mixed.example.test': ['93.184.216.34', '10.0.0.7'], 'ok.example.test': ['93.184.216.34'] });
    const checked = policy([], dns.resolve);
    expect(await refusalOf(checked.check('http://llm.example.test/v1'))).toBe(DestinationRefusal.DESTINATION_NOT_ALLOWED);
    await expect(checked.check('http://mixed.example.test/v1')).rejects.toThrow(/resolves to 10\.0\.0\.7/);
    await expect(checked.check('http://ok.example.test/v1')).resolves.toMatchObject({ addresses: [{ address: '93.184.216.34' }] });
    expect(await refusalOf(checked.check('http://nowhere.example.test/'))).toBe(DestinationRefusal.DESTINATION_UNRESOLVABLE);
    // The system resolver too: localhost is loopback.
    expect(await refusalOf(policy().check(`http://localhost:${target.port}/`))).toBe(DestinationRefusal.DESTINATION_NOT_ALLOWED);
  });

  it('lets the operator allow origins, hosts as written, and address ranges', async () => {
    const dns = fakeDns({ 'ollama.internal': ['10.1.2.3'], 'sneaky.example.test': ['127.0.0.1'], 'gpu.internal': ['10.9.0.4'] });
    const allowed = policy(`${target.origin}, ollama.internal, 10.9.0.0/16`, dns.resolve);
    await expect(allowed.check(`${target.origin}/v1`)).resolves.toBeDefined();
    await expect(allowed.check('http://ollama.internal:11434/v1')).resolves.toBeDefined();
    await expect(allowed.check('https://gpu.internal/v1')).resolves.toBeDefined();
    // An origin allows that port only; an address allows that spelling only, never a name pointed at it.
    expect(await refusalOf(allowed.check('http://127.0.0.1:5432/'))).toBe(DestinationRefusal.DESTINATION_NOT_ALLOWED);
    expect(await refusalOf(allowed.check(`http://sneaky.example.test:${target.port}/`))).toBe(DestinationRefusal.DESTINATION_NOT_ALLOWED);
  });

  it('names every allowlist entry it cannot read', () => {
    const { rules, errors } = parseAllowList('http://10.0.0.5:11434, ollama.internal, 10.0.0.0/8, ::1, [fd00::5], http://x.test/path, 10.0.0.0/99, ex ample');
    expect(rules.map((r) => r.kind)).toEqual(['origin', 'host', 'range', 'host', 'host']);
    expect(errors).toEqual([
      '"http://x.test/path" is not an origin such as http://10.0.0.5:11434',
      '"10.0.0.0/99" is not an address range such as 10.0.0.0/8',
      '"ex ample" is not an origin, a host name, an address or an address range',
    ]);
  });
});

describe('outbound policy: fetch', () => {
  it('never opens a connection to a refused destination', async () => {
    for (const url of [`${target.origin}/`, `http://2130706433:${target.port}/`, `http://[::ffff:127.0.0.1]:${target.port}/`, `http://localhost:${target.port}/`]) {
      expect(await refusalOf(policy().fetch(url)), url).toBe(DestinationRefusal.DESTINATION_NOT_ALLOWED);
    }
    expect(target.requests).toHaveLength(0);
  });

  it('connects to the address it checked, resolving the name once, with the name kept in the Host header', async () => {
    // No real resolver knows pinned.test: the request can only arrive if the socket dialled the checked address.
    const dns = fakeDns({ 'pinned.test': ['127.0.0.1'] });
    const response = await policy('pinned.test', dns.resolve).fetch(`http://pinned.test:${target.port}/hello`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
    expect(dns.asked).toEqual(['pinned.test']);
    expect(target.requests[0]).toMatchObject({ url: '/hello', headers: { host: `pinned.test:${target.port}` } });
  });

  it('rechecks at every new connection, so a name that changes to a private address after saving is refused', async () => {
    const table: Record<string, string[]> = { 'rebind.test': ['127.0.0.1'] };
    const dns = fakeDns(table);
    const ranged = policy('127.0.0.1/32', dns.resolve);
    expect((await ranged.fetch(`http://rebind.test:${target.port}/`)).status).toBe(200);
    await ranged.close(); // drop the pooled connection
    table['rebind.test'] = ['10.0.0.7'];
    expect(await refusalOf(ranged.fetch(`http://rebind.test:${target.port}/`))).toBe(DestinationRefusal.DESTINATION_NOT_ALLOWED);
    expect(dns.asked).toEqual(['rebind.test', 'rebind.test']);
  });

  it('returns a redirect instead of following it into a private address', async () => {
    const response = await policy(redirector.origin).fetch(`${redirector.origin}/v1/chat/completions`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${target.origin}/internal`);
    expect(redirector.requests).toHaveLength(1);
    expect(target.requests).toHaveLength(0);
  });
});

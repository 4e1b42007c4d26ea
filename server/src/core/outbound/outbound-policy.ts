import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch, type Dispatcher } from 'undici';
import { allowedByName, allowedByRange, bareHost, type AllowRule } from './allow-rules.ts';
import { isPublicAddress } from './public-address.ts';

/**
 * The one rule for every request whose URL a tenant chose (an OpenAI-compatible base URL, a webhook,
 * any future fetcher): http(s) only; every address the host resolves to must be public unicast unless
 * the operator allowed the destination; the connection goes to the address that was checked (the
 * check runs inside the connector, so no second resolution can swap it: DNS rebinding); redirects are
 * never followed (a public endpoint could otherwise bounce the request into a private network).
 * Issue 15, finding 1: a bot's base URL reached loopback and the system prompt went with it.
 */

/** Stable reasons, exposed to clients as `extensions.reason`. */
export const DestinationRefusal = {
  /** Not http or https. */
  UNSUPPORTED_SCHEME: 'UNSUPPORTED_SCHEME',
  /** Resolves to (or is) a non-public address that the operator did not allow. */
  DESTINATION_NOT_ALLOWED: 'DESTINATION_NOT_ALLOWED',
  /** The host does not resolve. */
  DESTINATION_UNRESOLVABLE: 'DESTINATION_UNRESOLVABLE',
} as const;
export type DestinationRefusal = (typeof DestinationRefusal)[keyof typeof DestinationRefusal];

export class DestinationRefusedError extends Error {
  override name = 'DestinationRefusedError';

  constructor(
    readonly reason: DestinationRefusal,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The refusal behind an error, when there is one: fetch and the SDKs wrap the connector's error. */
export function findDestinationRefusal(error: unknown): DestinationRefusedError | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    if (current instanceof DestinationRefusedError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has; tests inject one to play DNS. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface CheckedDestination {
  url: URL;
  /** Every address of the host, all checked; connections go to these and nowhere else. */
  addresses: ResolvedAddress[];
}

export interface OutboundPolicyOptions {
  /** The operator's allowlist of private destinations (allow-rules.ts). */
  allowPrivate: readonly AllowRule[];
  resolve?: HostResolver;
  /** TCP/TLS connect timeout per address. */
  connectTimeoutMs?: number;
}

const systemResolver: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family as 4 | 6 }));

export class OutboundPolicy {
  readonly #options: OutboundPolicyOptions;
  readonly #resolve: HostResolver;
  #agent: Agent | undefined;

  constructor(options: OutboundPolicyOptions) {
    this.#options = options;
    this.#resolve = options.resolve ?? systemResolver;
  }

  /** The same policy with more allowed private destinations (e.g. origins the operator named for one use). */
  allowing(rules: readonly AllowRule[]): OutboundPolicy {
    if (rules.length === 0) return this;
    return new OutboundPolicy({ ...this.#options, allowPrivate: [...this.#options.allowPrivate, ...rules] });
  }

  /**
   * Resolves and checks a URL. Every address counts, not just the first: a connection could
   * otherwise be steered to a private one. Throws DestinationRefusedError.
   */
  async check(target: string | URL): Promise<CheckedDestination> {
    const url = typeof target === 'string' ? parseUrl(target) : target;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new DestinationRefusedError(DestinationRefusal.UNSUPPORTED_SCHEME, `${url.protocol} URLs are not allowed; use http or https`);
    }
    const host = bareHost(url);
    const literal = isIP(host);
    let addresses: ResolvedAddress[];
    if (literal) addresses = [{ address: host, family: literal as 4 | 6 }];
    else {
      try {
        addresses = await this.#resolve(host);
      } catch (error) {
        throw new DestinationRefusedError(DestinationRefusal.DESTINATION_UNRESOLVABLE, `${host} does not resolve`, { cause: error });
      }
      if (addresses.length === 0) throw new DestinationRefusedError(DestinationRefusal.DESTINATION_UNRESOLVABLE, `${host} does not resolve`);
    }
    const rules = this.#options.allowPrivate;
    if (!allowedByName(rules, url)) {
      const refused = addresses.find((a) => !isPublicAddress(a.address) && !allowedByRange(rules, a.address));
      if (refused) {
        throw new DestinationRefusedError(
          DestinationRefusal.DESTINATION_NOT_ALLOWED,
          `${host}${literal ? ' is' : ` resolves to ${refused.address},`} a non-public address that the operator has not allowed (MASCOT_OUTBOUND_ALLOWED_PRIVATE)`,
        );
      }
    }
    return { url, addresses };
  }

  /**
   * An undici dispatcher whose every new connection is checked first and then made to a checked
   * address (the host name stays the TLS server name and the Host header). Keep-alive connections in
   * its pool were all checked when they were opened.
   */
  get dispatcher(): Dispatcher {
    this.#agent ??= new Agent({ connect: this.#connector() });
    return this.#agent;
  }

  /**
   * fetch through the dispatcher, with redirects returned instead of followed: the caller sees the
   * 3xx as a failed response. An SDK's `fetch` option takes it as it is.
   */
  readonly fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher: this.dispatcher,
      redirect: 'manual',
    }) as unknown as Promise<Response>;

  /** Closes pooled connections. */
  async close(): Promise<void> {
    const agent = this.#agent;
    this.#agent = undefined;
    await agent?.close();
  }

  #connector(): buildConnector.connector {
    const connect = buildConnector({ timeout: this.#options.connectTimeoutMs ?? 10_000 });
    return (options, callback) => {
      const url = new URL(`${options.protocol}//${options.host ?? options.hostname}`);
      this.check(url).then(
        ({ addresses }) => {
          const host = bareHost(url);
          // The certificate must still name the host the tenant wrote, not the address dialled.
          const servername = isIP(host) ? undefined : (options.servername ?? host);
          const attempt = (index: number) => {
            connect({ ...options, hostname: addresses[index]!.address, ...(servername ? { servername } : {}) }, (error, socket) => {
              if (error && index + 1 < addresses.length) attempt(index + 1);
              else if (error) callback(error, null);
              else callback(null, socket!);
            });
          };
          attempt(0);
        },
        (error: unknown) => callback(error as Error, null),
      );
    };
  }
}

function parseUrl(value: string): URL {
  if (!URL.canParse(value)) throw new DestinationRefusedError(DestinationRefusal.UNSUPPORTED_SCHEME, 'is not a URL');
  return new URL(value);
}

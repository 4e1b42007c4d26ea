import { findDestinationRefusal, type OutboundPolicy } from '../../../core/outbound/index.ts';

export interface FetchLimits {
  /** Bytes one response may have; a larger one is cut off and refused (PAGE_TOO_LARGE). */
  maxBytes: number;
  /** Wall time of one request, redirects and body included. */
  timeoutMs: number;
  maxRedirects: number;
}

export type FetchResult =
  | { kind: 'response'; status: number; url: string; headers: Headers; body: Uint8Array }
  | { kind: 'error'; code: string; message: string; url: string };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** The user agent robots.txt groups are matched against (robots.ts), and named in every request. */
export const ROBOTS_AGENT = 'MascotBot';
export const USER_AGENT = `${ROBOTS_AGENT}/1.0 (website knowledge sync)`;

/**
 * Every request of a website sync. Each hop goes through the outbound policy (public addresses only
 * unless the operator allowed the host, checked before anything is sent and again by the pinned
 * connector) and must stay on the site: redirects are followed here, one checked hop at a time, since
 * the policy itself never follows them. Bodies are read up to `maxBytes` within `timeoutMs`.
 */
export class SiteFetcher {
  constructor(
    private readonly policy: OutboundPolicy,
    private readonly limits: FetchLimits,
    private readonly sameSite: (url: URL) => boolean,
  ) {}

  async get(target: string, options: { accept: string; etag?: string | null; lastModified?: string | null }): Promise<FetchResult> {
    const signal = AbortSignal.timeout(this.limits.timeoutMs);
    let current = new URL(target);
    for (let hop = 0; ; hop++) {
      try {
        await this.policy.check(current);
      } catch (error) {
        const refusal = findDestinationRefusal(error);
        if (!refusal) throw error;
        return { kind: 'error', code: refusal.reason, message: `${hop > 0 ? 'Redirected to ' : ''}${current.href}: ${refusal.message}`, url: current.href };
      }
      if (!this.sameSite(current)) {
        return { kind: 'error', code: 'OFF_SITE_REDIRECT', message: `Redirected off the site, to ${current.href}`, url: current.href };
      }
      const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: options.accept };
      if (options.etag) headers['if-none-match'] = options.etag;
      if (options.lastModified) headers['if-modified-since'] = options.lastModified;
      let response: Response;
      try {
        response = await this.policy.fetch(current.href, { headers, signal });
      } catch (error) {
        return this.failure(error, current);
      }
      const location = response.headers.get('location');
      if (REDIRECTS.has(response.status) && location) {
        await response.body?.cancel().catch(() => undefined);
        if (hop >= this.limits.maxRedirects) return { kind: 'error', code: 'TOO_MANY_REDIRECTS', message: `More than ${this.limits.maxRedirects} redirects from ${target}`, url: current.href };
        if (!URL.canParse(location, current.href)) return { kind: 'error', code: 'BAD_REDIRECT', message: `Redirect to an invalid URL: ${location}`, url: current.href };
        current = new URL(location, current);
        current.hash = '';
        continue;
      }
      try {
        const body = await readCapped(response, this.limits.maxBytes);
        if (!body) return { kind: 'error', code: 'PAGE_TOO_LARGE', message: `${current.href} is larger than ${this.limits.maxBytes} bytes`, url: current.href };
        return { kind: 'response', status: response.status, url: current.href, headers: response.headers, body };
      } catch (error) {
        return this.failure(error, current);
      }
    }
  }

  private failure(error: unknown, url: URL): FetchResult {
    const refusal = findDestinationRefusal(error);
    if (refusal) return { kind: 'error', code: refusal.reason, message: `${url.href}: ${refusal.message}`, url: url.href };
    const name = (error as Error)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return { kind: 'error', code: 'TIMEOUT', message: `${url.href} did not answer within ${Math.round(this.limits.timeoutMs / 1000)} s`, url: url.href };
    }
    const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
    return { kind: 'error', code: 'FETCH_FAILED', message: `${url.href}: ${cause?.code ?? cause?.message ?? (error as Error)?.message ?? 'request failed'}`, url: url.href };
  }
}

/** The body, or null when it is larger than `maxBytes` (the rest is never read). */
async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array | null> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return null;
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    parts.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    body.set(part, offset);
    offset += part.byteLength;
  }
  return body;
}

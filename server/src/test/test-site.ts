import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A website served by a test on loopback, for website knowledge sources. Its routes can change between
 * syncs; it counts requests per path and the ones it answered 304. The server reaches it only when the
 * test allows its origin (MASCOT_OUTBOUND_ALLOWED_PRIVATE), as an operator would.
 */
/** `body` as text is served UTF-8; as bytes, as they are (a page in another charset). */
export type SiteRoute = { status?: number; type?: string; body?: string | Uint8Array; location?: string };

export interface TestSite {
  origin: string;
  routes: Map<string, SiteRoute>;
  /** Requests per path (query included). */
  hits: Map<string, number>;
  /** Requests per path answered 304 Not Modified. */
  notModified: Map<string, number>;
  close(): Promise<void>;
}

/**
 * Starts a site answering its routes like a static host: ETags from the body, 304 for a matching
 * If-None-Match, redirects for routes with a `location`, 404 for paths it has no route for. `answer`
 * replaces that behaviour (a server that must never be reached, say).
 */
export async function startTestSite(answer?: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestSite> {
  const routes = new Map<string, SiteRoute>();
  const hits = new Map<string, number>();
  const notModified = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (answer) return answer(req, res);
    const route = routes.get(path);
    if (!route) return void res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
    if (route.location) return void res.writeHead(route.status ?? 302, { location: route.location }).end();
    const body = route.body ?? '';
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) {
      notModified.set(path, (notModified.get(path) ?? 0) + 1);
      return void res.writeHead(304, { etag }).end();
    }
    res.writeHead(route.status ?? 200, { 'content-type': route.type ?? 'text/html; charset=utf-8', etag }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    routes,
    hits,
    notModified,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A shop page with the chrome a real site has around its content: navigation, a cookie banner, a footer. */
export function shopPage(title: string, main: string): string {
  return `<!DOCTYPE html><html><head><title>${title}</title></head><body>
  <header><nav><a href="/">Home</a> <a href="/docs/returns">Returns</a> <a href="/docs/shipping">Shipping</a></nav></header>
  <div id="cookie-banner">We use cookies to improve your experience. <button>Accept all cookies</button></div>
  <main>${main}</main>
  <footer>Example Shop GmbH · Imprint · Privacy</footer></body></html>`;
}

/** `text` in windows-1252 (ISO-8859-1 as browsers read it): one byte per character, the euro sign and dashes at their 1252 places. */
export function windows1252(text: string): Uint8Array {
  const special: Record<string, number> = { '€': 0x80, '–': 0x96, '—': 0x97, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94 };
  return Uint8Array.from([...text].map((char) => {
    const code = special[char] ?? char.charCodeAt(0);
    if (code > 0xff) throw new Error(`${char} has no windows-1252 byte`);
    return code;
  }));
}

/** A sitemap listing `paths` of `origin`. */
export function sitemapOf(origin: string, paths: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${paths.map((p) => `<url><loc>${origin}${p}</loc></url>`).join('')}</urlset>`;
}

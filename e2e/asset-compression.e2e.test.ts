import { readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.ts';
import { EXPLORER_DIST } from '../server/src/app/explorer-routes.ts';
import { WIDGET_DIST } from '../server/src/app/widget-routes.ts';
import { rawRequest } from '../server/src/test/raw-http.ts';
import { startTestServer, type TestServer } from '../server/src/test/test-server.ts';

// Built output from `npm run build` (the root test script builds first): the files, their .br/.gz
// twins from the build, and the server's content negotiation over them.

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ MASCOT_SEED_DEMO: 'true' });
});

afterAll(async () => {
  await server?.stop();
});

const get = (pathname: string, headers: Record<string, string>) => rawRequest(`${server.url}${pathname}`, headers);

const decode = { br: brotliDecompressSync, gzip: gunzipSync, none: (body: Buffer) => body } as const;
const ACCEPT = { br: 'gzip, deflate, br, zstd', gzip: 'gzip, deflate', none: '' } as const;
type Encoding = keyof typeof ACCEPT;

/** One file requested three ways: each answer carries its encoding and decodes to the built file. */
async function expectNegotiated(url: string, original: Buffer, expected: { type: RegExp; cacheControl: string }) {
  for (const encoding of Object.keys(ACCEPT) as Encoding[]) {
    const res = await get(url, ACCEPT[encoding] ? { accept: '*/*', 'accept-encoding': ACCEPT[encoding] } : { accept: '*/*' });
    expect(res.status, `${url} ${encoding}`).toBe(200);
    expect(res.headers['content-encoding'], `${url} ${encoding}`).toBe(encoding === 'none' ? undefined : encoding);
    expect(res.headers['vary'], url).toMatch(/accept-encoding/i);
    expect(res.headers['content-type'], url).toMatch(expected.type);
    expect(res.headers['cache-control'], url).toBe(expected.cacheControl);
    expect(decode[encoding](res.body).equals(original), `${url} ${encoding} decodes to the built file`).toBe(true);
    if (encoding !== 'none') expect(res.body.length, `${url} ${encoding}`).toBeLessThan(original.length);
  }
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

describe('built widget and explorer assets', () => {
  it('serves the loader precompressed with a short, revalidated cache', async () => {
    await expectNegotiated('/embed.js', readFileSync(path.join(WIDGET_DIST, 'embed.js')), {
      type: /^(text|application)\/javascript/,
      cacheControl: 'public, max-age=300',
    });
  });

  it("serves the chat app's document revalidated and every hashed script and stylesheet it loads immutable", async () => {
    const html = readFileSync(path.join(WIDGET_DIST, 'app/index.html'));
    await expectNegotiated('/widget/', html, { type: /^text\/html/, cacheControl: 'no-cache' });
    const assets = [...html.toString().matchAll(/(?:src|href)="\/widget\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      await expectNegotiated(`/widget/${asset}`, readFileSync(path.join(WIDGET_DIST, 'app', asset)), {
        type: asset.endsWith('.css') ? /^text\/css/ : /^(text|application)\/javascript/,
        cacheControl: IMMUTABLE,
      });
    }
  });

  it('keeps the per-bot frame policy and short cache on the chat document of a bot', async () => {
    const res = await get(`/widget/?bot=${server.demo!.embedId}`, { 'accept-encoding': 'br' });
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toBe('private, max-age=30');
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors/);
    expect(brotliDecompressSync(res.body).equals(readFileSync(path.join(WIDGET_DIST, 'app/index.html')))).toBe(true);
  });

  it('serves the explorer page and its hashed assets the same way', async () => {
    const html = readFileSync(path.join(EXPLORER_DIST, 'index.html'));
    for (const encoding of Object.keys(ACCEPT) as Encoding[]) {
      const res = await get('/graphql', { accept: 'text/html', ...(ACCEPT[encoding] ? { 'accept-encoding': ACCEPT[encoding] } : {}) });
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['vary']).toMatch(/accept-encoding/i);
      // A page under the compression threshold may have no variant: then the original is correct too.
      const sent = res.headers['content-encoding'] as Encoding | undefined;
      expect(decode[sent ?? 'none'](res.body).equals(html)).toBe(true);
    }
    const script = /src="\/graphql\/explorer\/(assets\/[^"]+\.js)"/.exec(html.toString())?.[1];
    expect(script).toBeDefined();
    await expectNegotiated(`/graphql/explorer/${script}`, readFileSync(path.join(EXPLORER_DIST, script!)), {
      type: /^(text|application)\/javascript/,
      cacheControl: IMMUTABLE,
    });
  });
});

describe('the widget in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('receives the chat app compressed when the visitor opens it', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const scripts: { url: string; encoding: string | undefined; encodedBytes: number; decodedBytes: number }[] = [];
      page.on('requestfinished', (req) => {
        if (!/\/widget\/assets\/index-[^/]+\.js$/.test(req.url())) return;
        void (async () => {
          const response = await req.response();
          const sizes = await req.sizes();
          const body = await response!.body();
          scripts.push({ url: req.url(), encoding: await response!.headerValue('content-encoding') ?? undefined, encodedBytes: sizes.responseBodySize, decodedBytes: body.length });
        })();
      });
      await page.goto(`${server.url}/`);
      await page.getByRole('button', { name: 'Open chat' }).click();
      const frame = (await (await page.waitForSelector('iframe[title]')).contentFrame())!;
      await frame.locator('textarea:not([disabled])').waitFor();
      await expect.poll(() => scripts.length).toBeGreaterThan(0);
      const [script] = scripts;
      // Chromium offers br only over HTTPS; on this plain-HTTP localhost it asks for gzip.
      expect(['br', 'gzip']).toContain(script!.encoding);
      expect(script!.encodedBytes).toBeLessThan(script!.decodedBytes / 2);
    } finally {
      await context.close();
    }
  });
});

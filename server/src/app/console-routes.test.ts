import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonErrorHandler, jsonNotFound } from '../core/http/index.ts';
import { createLogger } from '../core/logging/index.ts';
import { CONSOLE_CSP, consoleRoutes } from './console-routes.ts';

// The Console at /console (issue 17): its own CSP on everything, hashed assets cached for good, the app's
// page for every deep link, and a missing asset a JSON 404 rather than the app's HTML.

let dist: string;
let server: Server;
let base: string;

function write(file: string, text: string, brotli = false): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  if (brotli) writeFileSync(`${file}.br`, brotliCompressSync(text));
}

async function listen(app: express.Express): Promise<{ server: Server; base: string }> {
  const listening = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => listening.once('listening', resolve));
  return { server: listening, base: `http://127.0.0.1:${(listening.address() as AddressInfo).port}` };
}

function appWith(consoleDist: string): express.Express {
  const logger = createLogger('silent');
  const app = express();
  app.use(consoleRoutes(consoleDist));
  app.use(jsonNotFound(logger));
  app.use(jsonErrorHandler(logger));
  return app;
}

beforeAll(async () => {
  dist = mkdtempSync(path.join(tmpdir(), 'console-dist-'));
  write(path.join(dist, 'index.html'), '<!doctype html><title>Mascot Console</title>', true);
  write(path.join(dist, 'assets/index-abc123.js'), 'console.log("console");\n', true);
  write(path.join(dist, 'assets/.hidden.js'), 'console.log("hidden");\n');
  ({ server, base } = await listen(appWith(dist)));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dist, { recursive: true, force: true });
});

describe('the Console routes', () => {
  it.each(['/console', '/console/', '/console/inbox', '/console/conversations/c0ffee-1234?status=open'])(
    'answers the app page with the Console CSP, revalidated on every load, at %s',
    async (pathname) => {
      const response = await fetch(`${base}${pathname}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('<title>Mascot Console</title>');
    },
  );

  it('has a CSP without inline scripts or styles, framing or foreign origins', () => {
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).toContain("style-src 'self';");
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
  });

  it('serves hashed assets immutable, brotli when accepted', async () => {
    const response = await fetch(`${base}/console/assets/index-abc123.js`, { headers: { 'accept-encoding': 'br' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-encoding')).toBe('br');
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(await response.text()).toBe('console.log("console");\n');
  });

  it.each(['/console/assets/index-gone999.js', '/console/assets/.hidden.js', '/console/assets/'])(
    'answers a missing asset with a JSON 404, never the app page (%s)',
    async (pathname) => {
      const response = await fetch(`${base}${pathname}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as { error: { code: string } };
      expect(body.error.code).toBe('NOT_FOUND');
    },
  );

  it('leaves other methods and other paths to the routes after it', async () => {
    const post = await fetch(`${base}/console/inbox`, { method: 'POST' });
    expect(post.status).toBe(404);
    expect(post.headers.get('content-type')).toMatch(/^application\/json/);
    const elsewhere = await fetch(`${base}/consoles`);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('says how to build it when it is not built', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'console-unbuilt-'));
    const unbuilt = await listen(appWith(empty));
    try {
      const response = await fetch(`${unbuilt.base}/console/inbox`);
      expect(response.status).toBe(503);
      expect(await response.text()).toBe('The Console is not built. Run: npm run build');
    } finally {
      await new Promise((resolve) => unbuilt.server.close(resolve));
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

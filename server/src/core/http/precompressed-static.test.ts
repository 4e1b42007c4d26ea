import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../../test/raw-http.ts';
import { acceptedCodings, precompressedStatic } from './precompressed-static.ts';

const SCRIPT = `console.log(${JSON.stringify('hello '.repeat(400))});\n`;
const STYLE = `body { color: red; }\n${'.a { margin: 0 }\n'.repeat(200)}`;
const HTML = `<!doctype html><title>t</title>${'<p>hi</p>'.repeat(100)}`;

let dir: string;
let server: Server;
let base: string;

const get = (pathname: string, headers: Record<string, string> = {}, method = 'GET') => rawRequest(`${base}${pathname}`, headers, method);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'precompressed-'));
  mkdirSync(path.join(dir, 'assets'));
  const files: Record<string, string> = { 'assets/app-abc123.js': SCRIPT, 'assets/app-abc123.css': STYLE, 'index.html': HTML };
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(path.join(dir, name), text);
    writeFileSync(path.join(dir, `${name}.br`), brotliCompressSync(text));
    // The stylesheet has no gzip variant: a gzip-only client must get the original.
    if (!name.endsWith('.css')) writeFileSync(path.join(dir, `${name}.gz`), gzipSync(text));
  }
  writeFileSync(path.join(dir, 'assets/logo-abc123.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  const app = express();
  app.use('/static', precompressedStatic(dir, {
    index: 'index.html',
    fallthrough: false,
    cacheControl: (relative) => (relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
  }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('precompressed static files', () => {
  it('sends the brotli variant to a browser that accepts it, typed as the original and cached for a year', async () => {
    const res = await get('/static/assets/app-abc123.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(res.headers['vary']).toMatch(/accept-encoding/i);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.body.length).toBeLessThan(SCRIPT.length / 4);
    expect(brotliDecompressSync(res.body).toString()).toBe(SCRIPT);
  });

  it('sends gzip to a client without brotli, and when brotli is refused with q=0', async () => {
    for (const accept of ['gzip', 'br;q=0, gzip', 'gzip;q=1, br;q=0.5']) {
      const res = await get('/static/assets/app-abc123.js', { 'accept-encoding': accept });
      expect(res.headers['content-encoding'], accept).toBe('gzip');
      expect(gunzipSync(res.body).toString()).toBe(SCRIPT);
    }
  });

  it('sends the original file without Accept-Encoding, with identity only, and when no accepted variant was built', async () => {
    for (const [file, headers, text] of [
      ['assets/app-abc123.js', {}, SCRIPT],
      ['assets/app-abc123.js', { 'accept-encoding': 'identity' }, SCRIPT],
      ['assets/app-abc123.css', { 'accept-encoding': 'gzip' }, STYLE],
    ] as const) {
      const res = await get(`/static/${file}`, headers);
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['vary']).toMatch(/accept-encoding/i);
      expect(res.body.toString()).toBe(text);
    }
    const css = await get('/static/assets/app-abc123.css', { 'accept-encoding': 'br' });
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(brotliDecompressSync(css.body).toString()).toBe(STYLE);
  });

  it('keeps a separate validator per encoding, so a cached gzip copy is never confirmed for brotli', async () => {
    const br = await get('/static/assets/app-abc123.js', { 'accept-encoding': 'br' });
    const gzip = await get('/static/assets/app-abc123.js', { 'accept-encoding': 'gzip' });
    const plain = await get('/static/assets/app-abc123.js');
    expect(new Set([br.headers.etag, gzip.headers.etag, plain.headers.etag]).size).toBe(3);
    const revalidated = await get('/static/assets/app-abc123.js', { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) });
    expect(revalidated.status).toBe(304);
  });

  it('serves the index document for a directory path, compressed and revalidated on every use', async () => {
    const res = await get('/static/', { 'accept-encoding': 'br' });
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(brotliDecompressSync(res.body).toString()).toBe(HTML);
  });

  it('answers HEAD with the chosen variant’s headers and no body', async () => {
    const res = await get('/static/assets/app-abc123.js', { 'accept-encoding': 'br' }, 'HEAD');
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.body.length).toBe(0);
  });

  it('sends files it never compresses as they are, without Vary', async () => {
    const res = await get('/static/assets/logo-abc123.png', { 'accept-encoding': 'br, gzip' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['vary']).toBeUndefined();
    expect(res.headers['content-type']).toBe('image/png');
  });

  it('refuses paths outside the root and answers missing files with 404', async () => {
    expect((await get('/static/%2e%2e/%2e%2e/etc/passwd', { 'accept-encoding': 'br' })).status).toBeGreaterThanOrEqual(400);
    expect((await get('/static/assets/missing.js', { 'accept-encoding': 'br' })).status).toBe(404);
  });
});

describe('acceptedCodings', () => {
  it('orders the codings we have by quality, brotli first on a tie, and drops refused ones', () => {
    expect(acceptedCodings(undefined)).toEqual([]);
    expect(acceptedCodings('gzip, deflate, br')).toEqual(['br', 'gzip']);
    expect(acceptedCodings('gzip;q=1.0, br;q=0.8')).toEqual(['gzip', 'br']);
    expect(acceptedCodings('*')).toEqual(['br', 'gzip']);
    expect(acceptedCodings('*;q=0.5, br;q=0')).toEqual(['gzip']);
    expect(acceptedCodings('identity')).toEqual([]);
    expect(acceptedCodings('BR ; Q=0.9')).toEqual(['br']);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonErrorHandler, jsonNotFound } from '../core/http/index.ts';
import { createLogger } from '../core/logging/index.ts';
import { frameAncestorsFor, widgetRoutes } from './widget-routes.ts';

// Issue 15, finding 3: every spelling of a /widget/ URL that serves the chat app's page gets the
// framing rules of the bot the app will run, and nothing else on /widget/ may be framed at all.

const SHOP = 'https://shop.example.com';
const RESTRICTED = 'bot_restricted0001';
const OPEN = 'bot_open000000001';
const ORIGINS: Record<string, readonly string[]> = { [RESTRICTED]: [SHOP], [OPEN]: [] };

let dir: string;
let server: Server;
let port: number;

/** A request whose path goes over the wire byte for byte (http.request with a URL would remove dot segments). */
function raw(pathAndQuery: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: pathAndQuery, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const frameAncestorsOf = (headers: Record<string, string | string[] | undefined>) =>
  /frame-ancestors ([^;]+)/.exec(String(headers['content-security-policy'] ?? ''))?.[1];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'widget-routes-'));
  mkdirSync(path.join(dir, 'app/assets'), { recursive: true });
  writeFileSync(path.join(dir, 'embed.js'), 'console.log("loader");\n');
  writeFileSync(path.join(dir, 'app/index.html'), '<!doctype html><title>chat</title>');
  writeFileSync(path.join(dir, 'app/assets/index-abc123.js'), 'console.log("app");\n');
  writeFileSync(path.join(dir, 'app/assets/page-abc123.html'), '<!doctype html><title>another page</title>');
  const embeds = {
    allowedOrigins: (_em: EntityManager, embedId: string) => Promise.resolve(ORIGINS[embedId] ?? null),
    loaderConfig: () => Promise.reject(new Error('not used here')),
  };
  const logger = createLogger('silent');
  const app = express();
  app.use(widgetRoutes({ embeds, em: () => ({}) as EntityManager, logger, widgetDist: dir }));
  app.use(jsonNotFound(logger));
  app.use(jsonErrorHandler(logger));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("the chat app's framing rules", () => {
  it.each([
    ['the loader-built URL', `/widget/?bot=${RESTRICTED}&host=${encodeURIComponent(SHOP)}`],
    ['index.html named', `/widget/index.html?bot=${RESTRICTED}`],
    ['an upper-case mount path', `/WIDGET/?bot=${RESTRICTED}`],
    ['an escaped parameter name', `/widget/?b%6Ft=${RESTRICTED}`],
    ['an escaped file name', `/widget/%69ndex.html?bot=${RESTRICTED}`],
    ['an upper-case file name', `/widget/INDEX.HTML?bot=${RESTRICTED}`],
    ['another HTML file', `/widget/assets/page-abc123.html?bot=${RESTRICTED}`],
    ['a trailing segment', `/widget/index.html/?bot=${RESTRICTED}`],
    ['the bot after 1 000 other parameters', `/widget/?${'x=1&'.repeat(1000)}bot=${RESTRICTED}`],
  ])("gives %s the restricted bot's allowlist", async (_shape, url) => {
    const res = await raw(url);
    expect(frameAncestorsOf(res.headers)).toBe(SHOP);
  });

  it('sends the folder without its slash to the canonical URL, query kept', async () => {
    const res = await raw(`/widget?bot=${RESTRICTED}&host=x`);
    expect(res.status).toBe(301);
    expect(res.headers['location']).toBe(`/widget/?bot=${RESTRICTED}&host=x`);
    expect(frameAncestorsOf((await raw(String(res.headers['location']))).headers)).toBe(SHOP);
  });

  it.each([
    ['a repeated bot (the app reads the first)', `/widget/?bot=${RESTRICTED}&bot=${OPEN}`],
    ['a repeated bot, open one first', `/widget/?bot=${OPEN}&bot=${RESTRICTED}`],
    ['a repeated bot with an escaped name', `/widget/?bot=${RESTRICTED}&%62ot=${OPEN}`],
    ['an empty second bot', `/widget/?bot=${RESTRICTED}&bot`],
    ['a repeated host', `/widget/?bot=${OPEN}&host=${encodeURIComponent(SHOP)}&host=x`],
    ['a double slash', `/widget//?bot=${RESTRICTED}`],
    ['a dot segment', `/widget/./?bot=${RESTRICTED}`],
    ['an escaped dot segment', `/widget/%2e/?bot=${RESTRICTED}`],
    ['a parent segment', `/widget/assets/../index.html?bot=${RESTRICTED}`],
    ['an escaped parent segment', `/widget/assets/%2e%2e/index.html?bot=${RESTRICTED}`],
    ['an encoded slash', `/widget/assets%2f..%2findex.html?bot=${RESTRICTED}`],
    ['a backslash', `/widget/assets%5c..%5cindex.html?bot=${RESTRICTED}`],
    ['an escape that does not decode', `/widget/%E0%A4%A?bot=${RESTRICTED}`],
    ['a NUL byte', `/widget/index.html%00?bot=${RESTRICTED}`],
    ['a dotfile', `/widget/.env?bot=${RESTRICTED}`],
  ])('refuses %s with a JSON error, never the page', async (_shape, url) => {
    const res = await raw(url);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual({
      error: { code: 'BAD_REQUEST', message: expect.any(String), details: expect.objectContaining({ reason: 'AMBIGUOUS_WIDGET_URL' }) },
    });
    expect(frameAncestorsOf(res.headers)).toBe("'none'");
  });

  it.each([
    ['no bot', '/widget/'],
    ['an empty bot', '/widget/?bot='],
    ['an unknown bot', '/widget/?bot=bot_doesnotexist123'],
    ['a bot in another parameter', `/widget/?bot[]=${OPEN}`],
  ])('lets nobody frame the page for %s', async (_shape, url) => {
    const res = await raw(url);
    expect(res.status).toBe(200);
    expect(frameAncestorsOf(res.headers)).toBe("'none'");
  });

  it('lets any page frame an open bot, and nothing frames the scripts', async () => {
    expect(frameAncestorsOf((await raw(`/widget/?bot=${OPEN}`)).headers)).toBe('*');
    const script = await raw(`/widget/assets/index-abc123.js?bot=${OPEN}`);
    expect(script.status).toBe(200);
    expect(frameAncestorsOf(script.headers)).toBe("'none'");
  });
});

describe('frameAncestorsFor', () => {
  it('writes only canonical origins, and none at all rather than an empty list', () => {
    expect(frameAncestorsFor(null)).toBe("'none'");
    expect(frameAncestorsFor([])).toBe('*');
    expect(frameAncestorsFor([SHOP, 'https://a.example.com'])).toBe(`${SHOP} https://a.example.com`);
    expect(frameAncestorsFor(["https://a.example.com; script-src 'unsafe-inline'", 'https://*.example.com'])).toBe("'none'");
  });
});

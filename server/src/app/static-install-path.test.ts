import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import type { EntityManager } from '@mikro-orm/postgresql';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonErrorHandler, jsonNotFound } from '../core/http/index.ts';
import { createLogger } from '../core/logging/index.ts';
import { explorerRoutes } from './explorer-routes.ts';
import { widgetRoutes } from './widget-routes.ts';

// Issue 15, finding 9: installed under a folder with a dot segment (~/.local/share/mascot), the
// explorer and /embed.js answered 404: `send` refuses dot segments in an absolute path it is given
// (res.sendFile). Build output is served relative to its folder (precompressed-static.ts), so only
// dotfiles inside the served folder stay refused.

let install: string;
let server: Server;
let base: string;

function write(file: string, text: string, brotli = false): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  if (brotli) writeFileSync(`${file}.br`, brotliCompressSync(text));
}

beforeAll(async () => {
  install = mkdtempSync(path.join(tmpdir(), 'install-'));
  const root = path.join(install, 'home/.local/share/mascot');
  const widgetDist = path.join(root, 'widget/dist');
  const explorerDist = path.join(root, 'server/explorer/dist');
  write(path.join(widgetDist, 'embed.js'), 'console.log("loader");\n', true);
  write(path.join(widgetDist, 'app/index.html'), '<!doctype html><title>chat</title>', true);
  write(path.join(widgetDist, 'app/assets/index-abc123.js'), 'console.log("app");\n', true);
  write(path.join(explorerDist, 'index.html'), '<!doctype html><title>explorer</title>');
  write(path.join(explorerDist, 'assets/explorer-abc123.js'), 'console.log("explorer");\n', true);
  write(path.join(explorerDist, '.env'), 'SECRET=1\n');
  write(path.join(explorerDist, 'assets/.hidden.js'), 'console.log("hidden");\n');
  const embeds = {
    allowedOrigins: () => Promise.resolve([] as readonly string[]),
    loaderConfig: () => Promise.reject(new Error('not used here')),
  };
  const logger = createLogger('silent');
  const app = express();
  app.use(explorerRoutes(explorerDist));
  app.use(widgetRoutes({ embeds, em: () => ({}) as EntityManager, logger, widgetDist }));
  app.use(jsonNotFound(logger));
  app.use(jsonErrorHandler(logger));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(install, { recursive: true, force: true });
});

describe('static assets installed under a folder with a dot segment', () => {
  it.each([
    ['the loader', '/embed.js', {}, 'console.log("loader");\n'],
    ['the loader, brotli', '/embed.js', { 'accept-encoding': 'br' }, 'console.log("loader");\n'],
    ["the chat app's page", '/widget/?bot=bot_open000000001', {}, '<!doctype html><title>chat</title>'],
    ["the chat app's script", '/widget/assets/index-abc123.js', { 'accept-encoding': 'br' }, 'console.log("app");\n'],
    ['the explorer', '/graphql', { accept: 'text/html' }, '<!doctype html><title>explorer</title>'],
    ["the explorer's script", '/graphql/explorer/assets/explorer-abc123.js', { 'accept-encoding': 'gzip, br' }, 'console.log("explorer");\n'],
  ])('serves %s', async (_what, url, headers, body) => {
    const response = await fetch(`${base}${url}`, { headers });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(body);
  });

  it.each([
    ['a dotfile', '/graphql/explorer/.env'],
    ['a dotfile in a subfolder', '/graphql/explorer/assets/.hidden.js'],
    ['an escaped dotfile', '/graphql/explorer/%2eenv'],
  ])('still refuses %s inside the served folder, with a JSON error', async (_what, url) => {
    const response = await fetch(`${base}${url}`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});

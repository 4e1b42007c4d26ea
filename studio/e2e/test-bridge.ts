// The renderer under test talks to the real main-process core through this bridge: a small HTTP
// server that serves the renderer build (with Studio's CSP) and a stand-in preload defining
// window.studio, whose calls it hands to the same IPC dispatcher (sender check, zod schemas) the
// Electron app registers on ipcMain. Bytes cross as base64, as structured clone would carry them.
// Events main pushes (already validated by the core's event hub) reach the page as server-sent
// events on /events, standing in for webContents.send on the event channel.
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createIpcDispatcher } from '../src/main/ipc/ipc-dispatcher.ts';
import type { StudioCore } from '../src/main/studio-core.ts';
import { CONTENT_SECURITY_POLICY, contentTypeOf } from '../src/main/window/security.ts';
import { STUDIO_METHODS } from '../src/shared/ipc-channels.ts';

export interface TestBridge {
  url: string;
  close(): Promise<void>;
}

const replacer = (_key: string, value: unknown) => (value instanceof Uint8Array ? { $bytes: Buffer.from(value).toString('base64') } : value);
const reviver = (_key: string, value: unknown) =>
  value && typeof value === 'object' && typeof (value as { $bytes?: unknown }).$bytes === 'string'
    ? new Uint8Array(Buffer.from((value as { $bytes: string }).$bytes, 'base64'))
    : value;

/** The stand-in for preload.ts: the same window.studio shape, over fetch instead of ipcRenderer. */
const PRELOAD = `(() => {
  const toBase64 = (bytes) => { let s = ''; for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000)); return btoa(s); };
  const replacer = (_k, v) => (v instanceof Uint8Array ? { $bytes: toBase64(v) } : v);
  const reviver = (_k, v) => (v && typeof v === 'object' && typeof v.$bytes === 'string' ? Uint8Array.from(atob(v.$bytes), (c) => c.charCodeAt(0)) : v);
  const call = (method) => async (...args) => {
    const response = await fetch('/ipc/' + method, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args, replacer) });
    return JSON.parse(await response.text(), reviver);
  };
  const listeners = new Set();
  // Opened at once, like the preload's ipcRenderer listener, so no event is missed while the page starts.
  new EventSource('/events').onmessage = (message) => {
    const event = JSON.parse(message.data);
    for (const listener of listeners) listener(event);
  };
  const onEvent = (listener) => (listeners.add(listener), () => void listeners.delete(listener));
  window.studio = Object.freeze({ ...Object.fromEntries(${JSON.stringify(STUDIO_METHODS)}.map((m) => [m, call(m)])), onEvent });
})();`;

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startTestBridge(core: StudioCore, rendererDir: string): Promise<TestBridge> {
  let origin = '';
  // The bridge's own pages stand for studio://app: calls from any other origin are refused.
  const dispatch = createIpcDispatcher(core, (senderUrl) => senderUrl === `${origin}/`, (error) => console.error(error));
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'POST' && url.pathname.startsWith('/ipc/')) {
      const args = JSON.parse(await body(req), reviver) as unknown;
      const result = await dispatch(url.pathname.slice('/ipc/'.length), args, req.headers.origin ? `${req.headers.origin}/` : undefined);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result, replacer));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(': connected\n\n');
      const stop = core.events.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
      req.on('close', stop);
      return;
    }
    const headers = { 'content-security-policy': CONTENT_SECURITY_POLICY };
    if (url.pathname === '/bridge-preload.js') {
      res.writeHead(200, { ...headers, 'content-type': 'text/javascript' }).end(PRELOAD);
      return;
    }
    const relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = path.resolve(rendererDir, relative);
    const content = file.startsWith(path.resolve(rendererDir) + path.sep) ? await readFile(file).catch(() => null) : null;
    if (!content) {
      res.writeHead(404).end();
      return;
    }
    const served = relative === 'index.html' ? content.toString('utf8').replace('<head>', '<head><script src="./bridge-preload.js"></script>') : content;
    res.writeHead(200, { ...headers, 'content-type': contentTypeOf(file) }).end(served);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    close: () => new Promise((resolve) => {
      server.closeAllConnections(); // the open event streams
      server.close(() => resolve());
    }),
  };
}

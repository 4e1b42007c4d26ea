// The Electron entry point: composition only. Everything it wires is tested as plain Node code.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BrowserWindow, app, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import { STUDIO_EVENT_CHANNEL } from '../shared/ipc-channels.ts';
import { createIpcDispatcher } from './ipc/ipc-dispatcher.ts';
import { registerIpcHandlers } from './ipc/register-ipc.ts';
import { createStudioCore } from './studio-core.ts';
import { createSessionVault } from './sync/session-vault.ts';
import {
  CONTENT_SECURITY_POLICY,
  STUDIO_ORIGIN,
  STUDIO_SCHEME,
  contentTypeOf,
  denyAllPermissions,
  hardenWebContents,
  isTrustedSenderUrl,
  resolveAppFile,
  studioWindowOptions,
} from './window/security.ts';

// The build puts main/, preload/ and renderer/ side by side in dist/.
const distDir = path.resolve(import.meta.dirname, '..');
const rendererDir = path.join(distDir, 'renderer');
const preloadPath = path.join(distDir, 'preload', 'preload.cjs');

protocol.registerSchemesAsPrivileged([{ scheme: STUDIO_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
app.on('window-all-closed', () => app.quit());

app.whenReady().then(async () => {
  protocol.handle(STUDIO_SCHEME, async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    const body = file ? await readFile(file).catch(() => null) : null;
    if (!file || !body) return new Response('Not found', { status: 404 });
    return new Response(body, { headers: { 'content-type': contentTypeOf(file), 'content-security-policy': CONTENT_SECURITY_POLICY } });
  });
  denyAllPermissions(session.defaultSession);

  const core = createStudioCore({
    workspaceDir: path.join(app.getPath('userData'), 'workspace'),
    sessionVault: createSessionVault(path.join(app.getPath('userData'), 'session.bin'), safeStorage),
    widgetDist: path.join(distDir, 'widget'),
    // "Open a test page": only our own loopback preview pages are handed to the system browser.
    openExternal: (url) => (url.startsWith('http://127.0.0.1:') ? shell.openExternal(url) : Promise.resolve()),
    onInvalidEvent: (error) => console.error('dropped an invalid Studio event', error),
  });
  registerIpcHandlers(ipcMain, createIpcDispatcher(core, isTrustedSenderUrl, (error) => console.error(error)));
  await core.restoreSession().catch((error: unknown) => console.error('could not restore the server session', error));
  core.queue.start();
  app.on('before-quit', () => void core.close());

  const window = new BrowserWindow(studioWindowOptions(preloadPath));
  // Events go to our window only, and only once it shows our page.
  const stopEvents = core.events.subscribe((event) => {
    if (!window.isDestroyed() && isTrustedSenderUrl(window.webContents.getURL())) window.webContents.send(STUDIO_EVENT_CHANNEL, event);
  });
  window.on('closed', stopEvents);
  window.once('ready-to-show', () => window.show());
  await window.loadURL(`${STUDIO_ORIGIN}/`);
});

// Electron's security checklist, as data and small functions that a unit test can hold to it:
// context isolation, sandbox, no Node in the renderer, a strict CSP, our own protocol instead of
// file://, navigation and new windows denied, permission requests denied, IPC only from our page.
import path from 'node:path';
import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';

/** Studio's pages are served from studio://app/ (registered as a standard, secure scheme). */
export const STUDIO_SCHEME = 'studio';
export const STUDIO_ORIGIN = `${STUDIO_SCHEME}://app`;

/**
 * Only our own scripts; 'wasm-unsafe-eval' for the meshopt decoder (WebAssembly) that reads
 * compressed avatars; blob: images for GLB textures; no network access from the renderer at all
 * (the main process talks to the Mascot server); no plugins, forms or base changes. Frames only from
 * the loopback preview server (the real widget on a mock host page, preview/preview-server.ts): the
 * frame is another origin, so it reaches neither window.studio nor Studio's pages.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self' blob: data:",
  "font-src 'self'",
  "worker-src 'self' blob:",
  'frame-src http://127.0.0.1:*',
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function studioWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1360,
    height: 880,
    minWidth: 960,
    minHeight: 640,
    title: 'Mascot Studio',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}

/** IPC is answered only for frames showing our own pages (never a navigated-away or injected frame). */
export function isTrustedSenderUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${STUDIO_SCHEME}:` && parsed.host === 'app';
  } catch {
    return false;
  }
}

type Preventable = { preventDefault(): void };
type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** No navigation away from Studio, no new windows, no <webview>. Links to the web are not opened either. */
export function hardenWebContents(contents: HardenableContents): void {
  const stayHome = (event: Preventable, url: string) => {
    if (!isTrustedSenderUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayHome as never);
  contents.on('will-redirect', stayHome as never);
  contents.on('will-attach-webview', ((event: Preventable) => event.preventDefault()) as never);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Studio needs no camera, microphone, notifications, geolocation…: every permission is refused. */
export function denyAllPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.glb': 'model/gltf-binary',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file a studio://app/ URL names inside the renderer build, or null: other hosts, and paths
 * that would leave the build folder (../, encoded or not), are refused. `/` is index.html.
 */
export function resolveAppFile(rendererDir: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${STUDIO_SCHEME}:` || parsed.host !== 'app') return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, relative);
  return file.startsWith(root + path.sep) ? file : null;
}

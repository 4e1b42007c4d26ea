import { describe, expect, it, vi } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  denyAllPermissions,
  hardenWebContents,
  isTrustedSenderUrl,
  resolveAppFile,
  studioWindowOptions,
} from './security.ts';

describe('the Studio window', () => {
  it('isolates the page: context isolation and sandbox on, no Node integration anywhere, no webview', () => {
    const prefs = studioWindowOptions('/app/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
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
    });
  });

  it('serves a strict CSP: own scripts only, no inline or eval, no network, no plugins, frames only from the loopback preview', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    const { 'frame-src': frameSources, ...others } = directives;
    // The live preview (the widget on a local mock page) is the only other origin, and only as a frame.
    expect(frameSources).toEqual(['http://127.0.0.1:*']);
    expect(Object.entries(others).flat(2).join(' ')).not.toMatch(/'unsafe-inline'|'unsafe-eval'|https?:|\*/);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['connect-src']).not.toContain('http:');
  });

  it('denies navigation away from studio://app, new windows and webviews', () => {
    const handlers = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
    let openHandler: (() => { action: string }) | undefined;
    hardenWebContents({
      on: ((name: string, handler: never) => handlers.set(name, handler)) as never,
      setWindowOpenHandler: ((handler: never) => (openHandler = handler)) as never,
    });
    const navigate = (name: string, url: string) => {
      const event = { preventDefault: vi.fn() };
      handlers.get(name)!(event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-redirect', 'studio://other/')).toBe(true);
    expect(navigate('will-navigate', 'studio://app/index.html')).toBe(false);
    expect(navigate('will-attach-webview', 'studio://app/')).toBe(true);
    expect(openHandler!()).toEqual({ action: 'deny' });
  });

  it('refuses every permission request and check', () => {
    let request: ((c: unknown, p: string, callback: (granted: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    denyAllPermissions({
      setPermissionRequestHandler: ((handler: never) => (request = handler)) as never,
      setPermissionCheckHandler: ((handler: never) => (check = handler)) as never,
    });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      request!(null, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(check!()).toBe(false);
  });

  it('answers IPC only for frames showing studio://app pages', () => {
    expect(isTrustedSenderUrl('studio://app/index.html')).toBe(true);
    expect(isTrustedSenderUrl('studio://app/')).toBe(true);
    for (const url of ['https://app/', 'file:///index.html', 'studio://evil/', 'about:blank', '', undefined, 'not a url']) {
      expect(isTrustedSenderUrl(url)).toBe(false);
    }
  });

  it('serves files of the renderer build only, never paths outside it', () => {
    expect(resolveAppFile('/dist/renderer', 'studio://app/')).toBe('/dist/renderer/index.html');
    expect(resolveAppFile('/dist/renderer', 'studio://app/assets/index-abc.js')).toBe('/dist/renderer/assets/index-abc.js');
    // The URL parser folds dot segments (even encoded ones) before we see them: they stay inside.
    expect(resolveAppFile('/dist/renderer', 'studio://app/../main/electron-main.js')).toBe('/dist/renderer/main/electron-main.js');
    expect(resolveAppFile('/dist/renderer', 'studio://app/%2e%2e/%2e%2e/etc/passwd')).toBe('/dist/renderer/etc/passwd');
    // An encoded slash survives parsing and would climb out once decoded: refused.
    expect(resolveAppFile('/dist/renderer', 'studio://app/..%2fmain%2felectron-main.js')).toBeNull();
    expect(resolveAppFile('/dist/renderer', 'studio://other/index.html')).toBeNull();
    expect(resolveAppFile('/dist/renderer', 'file:///dist/renderer/index.html')).toBeNull();
  });
});

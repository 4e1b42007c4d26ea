// The loader that host pages include:
//   <script src="https://mascot.example/embed.js" data-bot="EMBED_ID" async></script>
// It asks Mascot for the bot's placement and theme, draws a launcher button and, on
// first open, an iframe with the chat app served from Mascot's origin. Everything
// heavy (React, GraphQL, the avatar) lives in that iframe, so this file has no
// dependencies and must stay small (≤ 6 KB gzip). Nothing here may throw into the
// host page: every entry point runs inside try/catch (guard).

import { isPageIncluded } from '@mascot/bot-bundle/page-match';
import {
  createHostEvents,
  deviceKind,
  findLoaderScript,
  guard,
  isTrustedWidgetEvent,
  loaderConfigUrl,
  mascotOriginFromSrc,
  newVisitorId,
  parseLoaderConfig,
  rememberedVisitorId,
  widgetFrameUrl,
  type LoaderConfig,
} from './embed-helpers.ts';
import {
  HOST_MESSAGE_SOURCE,
  parseIdentifiedVisitor,
  parseOrigin,
  type HostMessage,
  type IdentifiedVisitor,
  type WidgetMessage,
} from './frame-protocol.ts';

/** The versioned host API (README "Embed the widget"). Bump `version` only for breaking changes. */
interface MascotApi {
  version: 1;
  open(): void;
  close(): void;
  toggle(): void;
  identify(visitor: IdentifiedVisitor): void;
  on(event: string, handler: (detail?: unknown) => void): void;
  off(event: string, handler: (detail?: unknown) => void): void;
  /** Calls queued by a stub before the loader ran keep working when pushed later. */
  q: { push(...calls: unknown[][]): number };
}

declare global {
  interface Window {
    Mascot?: MascotApi | { q?: unknown[] };
  }
}

const report = (error: unknown): void => console.error('[mascot]', error);

// Styles live in the shadow root, where page selectors cannot reach. `:host` rules
// are !important because an important declaration inside a shadow tree beats an
// important one from the page (`mascot-widget { display: none !important }`).
const css = (color: string, side: string, small: boolean): string => {
  const size = small ? 44 : 56;
  return `
:host([data-off]){display:none!important}
:host{all:initial!important;display:block!important;position:fixed!important;${side}:20px!important;bottom:20px!important;top:auto!important;z-index:2147483647!important;visibility:visible!important;opacity:1!important;transform:none!important}
button{all:initial;position:relative;z-index:1;box-sizing:border-box;width:${size}px;height:${size}px;border-radius:50%;display:flex;align-items:center;justify-content:center;cursor:pointer;background:${color};color:#fff;box-shadow:0 6px 20px rgba(0,0,0,.25);transition:transform .15s ease}
button:hover{transform:scale(1.06)}
button:focus-visible{outline:3px solid ${color};outline-offset:3px}
svg{width:26px;height:26px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
iframe{all:initial;display:block;position:fixed;${side}:20px;bottom:${size + 32}px;width:380px;height:600px;max-width:calc(100vw - 40px);max-height:calc(100vh - ${size + 52}px);border:0;border-radius:16px;background:#fff;box-shadow:0 12px 40px rgba(0,0,0,.3);color-scheme:normal}
iframe[hidden]{display:none}
@media (max-width:480px){
iframe{inset:0;width:100%;height:100%;max-width:none;max-height:none;border-radius:0}
:host([data-open]){top:8px!important;${side}:8px!important;bottom:auto!important}
:host([data-open]) button{width:40px;height:40px;box-shadow:none}
}
@media (prefers-reduced-motion:reduce){button{transition:none}}
`;
};

const ICON_CHAT = '<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/>';
const ICON_CLOSE = '<path d="M6 6l12 12M18 6L6 18"/>';

/** Adopted style sheets are CSSOM, which a host's `style-src` policy does not restrict; <style> is the fallback. */
function applyStyles(root: ShadowRoot, text: string): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
    root.adoptedStyleSheets = [sheet];
  } else {
    const style = document.createElement('style');
    style.textContent = text;
    root.prepend(style);
  }
}

/** Calls `onChange` after the page's URL changed: back/forward at once, pushState within a second. */
function watchUrl(onChange: () => void): void {
  let last = location.href;
  const check = guard(report, () => {
    if (location.href === last) return;
    last = location.href;
    onChange();
  });
  addEventListener('popstate', check);
  // history.pushState fires no event a page can hear without patching the host's history object.
  setInterval(check, 1000);
}

function boot(script: ReturnType<typeof findLoaderScript>): void {
  const embedId = script?.getAttribute('data-bot');
  const mascotOrigin = script ? mascotOriginFromSrc(script.src, document.baseURI) : null;
  if (!script || !embedId || !mascotOrigin) {
    console.warn('[mascot] embed.js needs a data-bot attribute and an http(s) src');
    return;
  }
  // A tag that is pasted twice (or a SPA that re-injects it) must not stack launchers.
  for (const existing of Array.from(document.querySelectorAll('mascot-widget'))) {
    if (existing.getAttribute('data-bot') === embedId) return;
  }

  const events = createHostEvents(report);
  const pageOrigin = parseOrigin(location.origin);
  const visitorId = rememberedVisitorId(() => localStorage, newVisitorId(crypto.getRandomValues(new Uint8Array(16))));
  let identified: IdentifiedVisitor | null = null;
  let frame: HTMLIFrameElement | null = null;
  // Until the app says it listens (app-ready), messages to it would be lost.
  let frameLoaded = false;
  let open = false;
  // open() before the launcher exists (config still loading, placement delay) is applied on mount.
  let setOpen: ((next: boolean) => void) | null = null;
  let wantsOpen = false;

  // Posted to Mascot's origin only; the app accepts it only from its parent at the `host=` origin.
  const postToFrame = (message: HostMessage): void => {
    if (frameLoaded) frame?.contentWindow?.postMessage(message, mascotOrigin);
  };
  const sendIdentity = (): void => {
    if (identified) postToFrame({ source: HOST_MESSAGE_SOURCE, type: 'identify', visitor: identified });
  };

  const mount = (config: LoaderConfig): HTMLElement => {
    const host = document.createElement('mascot-widget');
    host.setAttribute('data-bot', embedId);
    const root = host.attachShadow({ mode: 'open' });
    const side = config.placement.position === 'bottom-left' ? 'left' : 'right';
    root.innerHTML =
      '<button type="button" aria-label="Open chat" aria-expanded="false" aria-controls="mascot-frame">' +
      `<svg viewBox="0 0 24 24" aria-hidden="true">${ICON_CHAT}</svg></button>`;
    applyStyles(root, css(config.theme.primaryColor, side, config.theme.launcher === 'icon'));
    const button = root.querySelector('button')!;
    const icon = root.querySelector('svg')!;

    setOpen = (next: boolean): void => {
      if (next === open) return;
      open = next;
      if (next && !frame) {
        // Created on first open only: visitors who never click pay nothing for the app.
        frame = document.createElement('iframe');
        frame.id = 'mascot-frame';
        frame.title = 'Chat';
        frame.src = widgetFrameUrl(mascotOrigin, embedId, pageOrigin, { visitor: visitorId, variant: config.variantId });
        root.append(frame);
      }
      if (frame) frame.hidden = !next;
      host.toggleAttribute('data-open', next);
      button.setAttribute('aria-label', next ? 'Close chat' : 'Open chat');
      button.setAttribute('aria-expanded', String(next));
      icon.innerHTML = next ? ICON_CLOSE : ICON_CHAT;
      if (next) {
        frame?.focus();
        postToFrame({ source: HOST_MESSAGE_SOURCE, type: 'opened' });
      } else {
        button.focus();
      }
      events.emit(next ? 'open' : 'close');
    };

    button.addEventListener('click', guard(report, () => setOpen?.(!open)));
    // On the whole widget, not just the launcher: while the chat's own document does not have the
    // keyboard yet (still loading, or focus not handed over), Escape lands on the frame element here.
    host.addEventListener('keydown', guard(report, (event: KeyboardEvent) => {
      if (event.key === 'Escape' && open) setOpen?.(false);
    }));
    document.body.append(host);
    events.emit('ready', { variantId: config.variantId });
    if (wantsOpen) setOpen(true);
    return host;
  };

  window.addEventListener('message', guard(report, (event: MessageEvent) => {
    if (!isTrustedWidgetEvent(event, mascotOrigin, frame?.contentWindow)) return;
    const data = event.data as WidgetMessage;
    if (data.type === 'app-ready') {
      // Also after the app reloads itself: it has forgotten who the visitor is.
      frameLoaded = true;
      sendIdentity();
      if (open) postToFrame({ source: HOST_MESSAGE_SOURCE, type: 'opened' });
    } else if (data.type === 'close') setOpen?.(false);
    else if (data.type === 'message') events.emit('message', { role: data.role, text: data.text });
    else events.emit('lead');
  }));

  const toggleTo = (next: boolean): void => {
    wantsOpen = next;
    setOpen?.(next);
  };
  const api: MascotApi = {
    version: 1,
    open: guard(report, () => toggleTo(true)),
    close: guard(report, () => toggleTo(false)),
    toggle: guard(report, () => toggleTo(setOpen ? !open : !wantsOpen)),
    identify: guard(report, (visitor: IdentifiedVisitor) => {
      identified = parseIdentifiedVisitor(visitor);
      if (!identified) console.warn('[mascot] identify() needs { id, name?, email? }');
      sendIdentity();
    }),
    on: guard(report, (name: string, handler: (detail?: unknown) => void) => {
      if (!events.on(name, handler)) console.warn(`[mascot] unknown event or handler: ${name}`);
    }),
    off: guard(report, (name: string, handler: (detail?: unknown) => void) => events.off(name, handler)),
    q: {
      push: (...calls: unknown[][]): number => {
        for (const call of calls) {
          const [method, ...args] = Array.from(call ?? []);
          const run = api[method as 'open'] as ((...a: unknown[]) => void) | undefined;
          if (typeof run === 'function') run(...args);
        }
        return 0;
      },
    },
  };
  // The first loader on the page owns window.Mascot; calls a stub queued before we ran are replayed.
  const stub = window.Mascot;
  if (!stub || !('version' in stub)) {
    window.Mascot = api;
    if (stub && Array.isArray(stub.q)) api.q.push(...(stub.q as unknown[][]));
  }

  const coarse = matchMedia('(pointer: coarse)').matches;
  fetch(loaderConfigUrl(mascotOrigin, embedId, visitorId, pageOrigin), { credentials: 'omit' })
    .then(async (response) => {
      const body: unknown = await response.json();
      if (!response.ok) throw new Error((body as { error?: { code?: string } } | null)?.error?.code ?? `HTTP ${response.status}`);
      return body;
    })
    .then(guard(report, (body: unknown) => {
      const config = parseLoaderConfig(body);
      if (!config) throw new Error('unexpected configuration');
      const device = deviceKind(innerWidth, innerHeight, coarse);
      if (!config.placement.devices.includes(device)) return;
      // Single-page sites change the URL without loading a page: placement follows every change.
      let host: HTMLElement | null = null;
      const follow = (): void => {
        const included = isPageIncluded(config.placement, location.href);
        if (host) {
          if (!included) setOpen?.(false);
          host.toggleAttribute('data-off', !included);
        } else if (included) {
          host = mount(config);
        }
      };
      setTimeout(guard(report, () => {
        follow();
        watchUrl(follow);
      }), config.placement.delaySeconds * 1000);
    }))
    .catch((error: unknown) => {
      // A page off the bot's allowlist cannot read the refusal (no CORS), so this is all it learns.
      console.warn(`[mascot] the chat is not shown here (${error instanceof Error ? error.message : String(error)}). Is this site on the bot's allowed origins?`);
    });
}

try {
  // Read currentScript now: it is only set while this script is executing.
  const loaderScript = findLoaderScript(document);
  // `async` scripts can run before <body> exists when placed in <head>.
  if (document.body) boot(loaderScript);
  else document.addEventListener('DOMContentLoaded', guard(report, () => boot(loaderScript)), { once: true });
} catch (error) {
  report(error);
}

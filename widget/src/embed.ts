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
  activityKey,
  addUnread,
  flashTitle,
  parseUnread,
  previewText,
  readStored,
  STAY_CONNECTED_MS,
  teaserKey,
  teaserText,
  unreadKey,
  writeStored,
  type Unread,
} from './loader-attention.ts';
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
// The frame's background is a skeleton of the chat (header band, two bubbles, the composer) drawn
// with gradients: it shows at once, before the chat's HTML arrives, and the chat paints over it.
// A translucent grey reads as a skeleton on the light and the dark page colour alike.
const TONE = 'linear-gradient(#8881,#8881)';
const SKELETON = `${TONE} 0 0/100% 64px,${TONE} 16px 84px/60% 38px,${TONE} right 16px top 134px/38% 38px,${TONE} 12px bottom 12px/calc(100% - 24px) 40px`;

const css = (color: string, side: string, small: boolean): string => {
  const size = small ? 44 : 56;
  return `
:host([data-off]){display:none!important}
:host{all:initial!important;display:block!important;position:fixed!important;${side}:20px!important;bottom:20px!important;top:auto!important;z-index:2147483647!important;visibility:visible!important;opacity:1!important;transform:none!important;overflow:visible!important}
#l{all:initial;position:relative;z-index:1;box-sizing:border-box;width:${size}px;height:${size}px;border-radius:50%;display:flex;align-items:center;justify-content:center;cursor:pointer;background:${color};color:#fff;box-shadow:0 6px 20px rgba(0,0,0,.25);transition:transform .15s ease}
#l:hover{transform:scale(1.06)}
:focus-visible{outline:3px solid ${color};outline-offset:3px}
svg{width:26px;height:26px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
#n{position:absolute;top:-5px;right:-5px;min-width:22px;height:22px;padding:0 5px;box-sizing:border-box;border:2px solid #fff;border-radius:11px;background:#dc2626;color:#fff;font:700 12px/18px system-ui,sans-serif;text-align:center}
#t{position:absolute;bottom:${size + 14}px;${side}:0;width:max-content;max-width:min(280px,calc(100vw - 40px));box-sizing:border-box;padding:10px 34px 10px 14px;border-radius:14px;background:#fff;color:#111827;box-shadow:0 8px 28px rgba(0,0,0,.22);font:14px/1.4 system-ui,sans-serif}
#o{all:initial;display:block;cursor:pointer;font:inherit;color:inherit;overflow-wrap:anywhere}
#o b{display:block;font-size:12px}
#x{all:initial;position:absolute;top:5px;right:5px;width:24px;height:24px;border-radius:50%;cursor:pointer;font:18px/24px system-ui,sans-serif;text-align:center;color:#6b7280}
[hidden]{display:none!important}
iframe{all:initial;display:block;position:fixed;${side}:20px;bottom:${size + 32}px;width:380px;height:600px;max-width:calc(100vw - 40px);max-height:calc(100vh - ${size + 52}px);border:0;border-radius:16px;background:no-repeat ${SKELETON} #fff;box-shadow:0 12px 40px rgba(0,0,0,.3);color-scheme:normal}
@media (prefers-color-scheme:dark){
#t{background:#1f2430;color:#f3f4f6}
#x{color:#9ca3af}
iframe{background-color:#16181d}
}
@media (max-width:480px){
iframe{inset:0;width:100%;height:100%;max-width:none;max-height:none;border-radius:0}
:host([data-open]){top:8px!important;${side}:8px!important;bottom:auto!important}
:host([data-open]) #l{width:40px;height:40px;box-shadow:none}
}
@media (prefers-reduced-motion:reduce){#l{transition:none}}
`;
};

/** A short two-note chime (Web Audio: no file to fetch). Browsers allow it once the visitor interacted with the page. */
let audio: AudioContext | undefined;
function chime(): void {
  if (typeof AudioContext !== 'function') return;
  audio ??= new AudioContext();
  audio.resume().catch(() => undefined);
  const start = audio.currentTime;
  [880, 1320].forEach((frequency, i) => {
    const at = start + i * 0.12;
    const tone = audio!.createOscillator();
    const gain = audio!.createGain();
    tone.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.12, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.3);
    tone.connect(gain).connect(audio!.destination);
    tone.start(at);
    tone.stop(at + 0.32);
  });
}

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
  // A reply or an agent's message that arrives while the panel is closed or the tab hidden (set on mount).
  let notify: ((text: string, author: string) => void) | null = null;
  const storage = (): Storage => localStorage;
  let unread: Unread | null = parseUnread(readStored(storage, unreadKey(embedId)));
  let keepsConversation = false;

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
    // #t: the teaser or the preview of an unread message; #n: the unread count on the launcher (#l).
    root.innerHTML =
      '<div id="t" role="status" hidden><button type="button" id="o" dir="auto"></button><button type="button" id="x" aria-label="Dismiss">×</button></div>' +
      '<button type="button" id="l" aria-expanded="false" aria-controls="mascot-frame">' +
      `<svg viewBox="0 0 24 24" aria-hidden="true">${ICON_CHAT}</svg><span id="n" aria-hidden="true" hidden></span></button>`;
    applyStyles(root, css(config.theme.primaryColor, side, config.theme.launcher === 'icon'));
    const $ = (id: string): HTMLElement => root.getElementById(id)!;
    const [button, icon, badge, tip, tipText] = [$('l'), root.querySelector('svg')!, $('n'), $('t'), $('o')];
    const phone = matchMedia('(max-width: 480px)');
    let tipIsTeaser = false;
    let teaserTimer: ReturnType<typeof setTimeout> | undefined;
    // Elements of the page made inert behind the full-screen chat on phones, to give back on close.
    let inerted: HTMLElement[] = [];

    const ensureFrame = (): void => {
      if (frame) return;
      frame = document.createElement('iframe');
      frame.id = 'mascot-frame';
      frame.title = 'Chat';
      frame.hidden = true;
      frame.src = widgetFrameUrl(mascotOrigin, embedId, pageOrigin, { visitor: visitorId, variant: config.variantId });
      root.append(frame);
    };
    const paintLauncher = (): void => {
      const count = unread?.count ?? 0;
      badge.hidden = count === 0;
      badge.textContent = String(count);
      button.setAttribute('aria-label', open ? 'Close chat' : count ? `Open chat, ${count} unread` : 'Open chat');
    };
    const showTip = (text: string, author: string, teaser: boolean): void => {
      tipIsTeaser = teaser;
      // Shown first, then filled: a live region hears changes only while it is displayed.
      tip.hidden = false;
      tipText.textContent = '';
      if (author) tipText.append(Object.assign(document.createElement('b'), { textContent: author }));
      tipText.append(text);
    };
    const dismissTeaser = (): void => {
      clearTimeout(teaserTimer);
      writeStored(storage, teaserKey(embedId), '1');
    };
    // A modal on phones: nothing behind the full-screen chat can take focus or be read (issue 14).
    const setInert = (on: boolean): void => {
      for (const element of inerted) element.inert = false;
      inerted = [];
      if (!on) return;
      for (const element of Array.from(document.body.children)) {
        if (element !== host && element instanceof HTMLElement && !element.inert) {
          element.inert = true;
          inerted.push(element);
        }
      }
    };
    phone.addEventListener('change', guard(report, () => setInert(open && phone.matches)));

    setOpen = (next: boolean): void => {
      if (next === open) return;
      open = next;
      if (next) {
        // Created on first open (or by a recent conversation): visitors who never chat pay nothing for the app.
        ensureFrame();
        unread = null;
        writeStored(storage, unreadKey(embedId), null);
        tip.hidden = true;
        dismissTeaser();
      }
      if (frame) frame.hidden = !next;
      host.toggleAttribute('data-open', next);
      paintLauncher();
      button.setAttribute('aria-expanded', String(next));
      icon.innerHTML = next ? ICON_CLOSE : ICON_CHAT;
      setInert(next && phone.matches);
      if (next) {
        frame?.focus();
        postToFrame({ source: HOST_MESSAGE_SOURCE, type: 'opened' });
      } else {
        button.focus();
      }
      events.emit(next ? 'open' : 'close');
    };

    // Unread while closed (badge, preview, kept for the next page view); the title flashes and the
    // optional chime plays while the visitor cannot see the panel.
    let titleTimer: ReturnType<typeof setInterval> | undefined;
    let baseTitle = '';
    let hiddenCount = 0;
    let flashLine = '';
    notify = (text: string, author: string): void => {
      if (!open) {
        unread = addUnread(unread, author, text);
        writeStored(storage, unreadKey(embedId), JSON.stringify(unread));
        paintLauncher();
        showTip(unread.text, author, false);
      }
      if (document.hidden) {
        flashLine = flashTitle(++hiddenCount, author, text);
        if (titleTimer === undefined) {
          baseTitle = document.title;
          let flashing = false;
          titleTimer = setInterval(guard(report, () => {
            // The page may retitle itself meanwhile: that becomes the title to come back to.
            if (document.title !== flashLine) baseTitle = document.title;
            flashing = !flashing;
            document.title = flashing ? flashLine : baseTitle;
          }), 1000);
        }
      }
      if (config.engagement.sound && (!open || document.hidden)) chime();
    };
    document.addEventListener('visibilitychange', guard(report, () => {
      if (document.hidden || titleTimer === undefined) return;
      clearInterval(titleTimer);
      titleTimer = undefined;
      hiddenCount = 0;
      if (document.title === flashLine) document.title = baseTitle;
    }));

    button.addEventListener('click', guard(report, () => setOpen?.(!open)));
    tipText.addEventListener('click', guard(report, () => setOpen?.(true)));
    $('x').addEventListener('click', guard(report, () => {
      tip.hidden = true;
      if (tipIsTeaser) dismissTeaser();
    }));
    // On the whole widget, not just the launcher: while the chat's own document does not have the
    // keyboard yet (still loading, or focus not handed over), Escape lands on the frame element here.
    host.addEventListener('keydown', guard(report, (event: KeyboardEvent) => {
      if (event.key === 'Escape' && open) setOpen?.(false);
    }));
    document.body.append(host);
    // The top layer: above every z-index on the page, overlays added later included, and out of
    // reach of a `transform` on an ancestor (which would otherwise anchor position:fixed to it).
    if (typeof host.showPopover === 'function') {
      host.popover = 'manual';
      host.showPopover();
    }
    paintLauncher();
    events.emit('ready', { variantId: config.variantId });
    // A conversation active within the hour continues in the background on this page, so a reply
    // or an agent's message that comes while the visitor browses is not missed.
    if (Date.now() - Number(readStored(storage, activityKey(embedId))) < STAY_CONNECTED_MS) ensureFrame();
    const teaser = config.engagement.teaser;
    if (teaser && !unread && !readStored(storage, teaserKey(embedId))) {
      teaserTimer = setTimeout(guard(report, () => {
        if (!open && tip.hidden) showTip(previewText(teaserText(teaser, location.href), 160), '', true);
      }), teaser.delaySeconds * 1000);
    }
    if (wantsOpen) setOpen(true);
    return host;
  };

  window.addEventListener('message', guard(report, (event: MessageEvent) => {
    if (!isTrustedWidgetEvent(event, mascotOrigin, frame?.contentWindow)) return;
    const data = event.data as WidgetMessage;
    if (data.type === 'app-ready') {
      // Also after the app reloads itself: it has forgotten who the visitor is.
      frameLoaded = true;
      // A frame that cannot keep the conversation would start a new one on the next page.
      keepsConversation = data.keepsConversation !== false;
      if (!keepsConversation) writeStored(storage, activityKey(embedId), null);
      sendIdentity();
      if (open) postToFrame({ source: HOST_MESSAGE_SOURCE, type: 'opened' });
    } else if (data.type === 'close') setOpen?.(false);
    else if (data.type === 'message') {
      if (keepsConversation) writeStored(storage, activityKey(embedId), String(Date.now()));
      events.emit('message', { role: data.role, text: data.text, ...(data.authorName ? { authorName: data.authorName } : {}) });
      if (data.role !== 'visitor' && (!open || document.hidden)) notify?.(data.text, data.authorName ?? '');
    } else events.emit('lead');
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

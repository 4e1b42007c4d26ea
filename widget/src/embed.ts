// The loader that host pages include:
//   <script src="https://mascot.example/embed.js" data-bot="EMBED_ID" async></script>
// It only draws a launcher button and, on first open, an iframe with the chat app
// served from Mascot's origin. Everything heavy (React, GraphQL, the avatar) lives
// in that iframe, so this file has no dependencies and must stay small.

import {
  findLoaderScript,
  isTrustedWidgetEvent,
  mascotOriginFromSrc,
  widgetFrameUrl,
} from './embed-helpers.ts';
import { HOST_MESSAGE_SOURCE, parseOrigin, type HostMessage } from './frame-protocol.ts';

// Styles live in the shadow root. `:host { all: initial }` stops inherited host
// styles (font, color, line-height, …) from leaking in; page selectors cannot
// match anything inside the shadow tree at all. A custom tag name keeps generic
// page rules such as `div { … }` off the host element itself.
const CSS = `
:host{all:initial;display:block;position:fixed;right:20px;bottom:20px;z-index:2147483647}
button{all:initial;position:relative;z-index:1;box-sizing:border-box;width:56px;height:56px;border-radius:50%;display:flex;align-items:center;justify-content:center;cursor:pointer;background:#4f46e5;color:#fff;box-shadow:0 6px 20px rgba(0,0,0,.25);transition:transform .15s ease}
button:hover{transform:scale(1.06)}
button:focus-visible{outline:3px solid #a5b4fc;outline-offset:3px}
svg{width:26px;height:26px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
iframe{position:fixed;right:20px;bottom:88px;width:380px;height:600px;max-width:calc(100vw - 40px);max-height:calc(100vh - 108px);border:0;border-radius:16px;background:#fff;box-shadow:0 12px 40px rgba(0,0,0,.3);color-scheme:normal}
iframe[hidden]{display:none}
@media (max-width:480px){
iframe{inset:0;width:100%;height:100%;max-width:none;max-height:none;border-radius:0}
:host([data-open]){top:8px;right:8px;bottom:auto}
:host([data-open]) button{width:40px;height:40px;box-shadow:none}
}
@media (prefers-reduced-motion:reduce){button{transition:none}}
`;

const ICON_CHAT = '<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/>';
const ICON_CLOSE = '<path d="M6 6l12 12M18 6L6 18"/>';

function mount(script: ReturnType<typeof findLoaderScript>): void {
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

  const host = document.createElement('mascot-widget');
  host.setAttribute('data-bot', embedId);
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML =
    `<style>${CSS}</style>` +
    '<button type="button" aria-label="Open chat" aria-expanded="false" aria-controls="mascot-frame">' +
    `<svg viewBox="0 0 24 24" aria-hidden="true">${ICON_CHAT}</svg></button>`;
  const button = root.querySelector('button')!;
  const icon = root.querySelector('svg')!;
  let frame: HTMLIFrameElement | null = null;
  // Until the app has loaded, contentWindow is the initial about:blank document.
  let frameLoaded = false;
  let open = false;

  // Tell the app it became visible so it can focus its composer; the app checks
  // that the message comes from its parent window and the origin given in `host=`.
  const notifyOpened = (): void => {
    if (!frameLoaded) return;
    const message: HostMessage = { source: HOST_MESSAGE_SOURCE, type: 'opened' };
    frame?.contentWindow?.postMessage(message, mascotOrigin);
  };

  const setOpen = (next: boolean): void => {
    open = next;
    if (next && !frame) {
      // Created on first open only: visitors who never click pay nothing for the app.
      frame = document.createElement('iframe');
      frame.id = 'mascot-frame';
      frame.title = 'Chat';
      frame.src = widgetFrameUrl(mascotOrigin, embedId, parseOrigin(location.origin));
      frame.addEventListener('load', () => {
        frameLoaded = true;
        if (open) notifyOpened();
      });
      root.append(frame);
    }
    if (frame) frame.hidden = !next;
    host.toggleAttribute('data-open', next);
    button.setAttribute('aria-label', next ? 'Close chat' : 'Open chat');
    button.setAttribute('aria-expanded', String(next));
    icon.innerHTML = next ? ICON_CLOSE : ICON_CHAT;
    if (next) {
      frame?.focus();
      notifyOpened();
    } else {
      button.focus();
    }
  };

  button.addEventListener('click', () => setOpen(!open));
  button.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && open) setOpen(false);
  });
  window.addEventListener('message', (event) => {
    if (open && isTrustedWidgetEvent(event, mascotOrigin, frame?.contentWindow)) setOpen(false);
  });

  document.body.append(host);
}

// Read currentScript now: it is only set while this script is executing.
const loaderScript = findLoaderScript(document);
// `async` scripts can run before <body> exists when placed in <head>.
if (document.body) mount(loaderScript);
else document.addEventListener('DOMContentLoaded', () => mount(loaderScript), { once: true });

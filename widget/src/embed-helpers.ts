// Pure helpers for the loader (embed.ts), kept apart so they can be unit-tested
// without a DOM: the functions take the few DOM members they need as arguments.

import { isWidgetMessage, parseOrigin } from './frame-protocol.ts';

/** The part of a <script> element the loader reads. */
export interface ScriptLike {
  readonly src: string;
  getAttribute(name: string): string | null;
}

/** The part of a Document the loader reads to find its own <script>. */
export interface ScriptLookup {
  readonly currentScript: unknown;
  querySelectorAll(selector: string): ArrayLike<ScriptLike>;
}

function isScriptLike(value: unknown): value is ScriptLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { src?: unknown }).src === 'string' &&
    (value as { src: string }).src !== '' &&
    typeof (value as { getAttribute?: unknown }).getAttribute === 'function'
  );
}

/**
 * Finds the <script> tag that loaded us. `document.currentScript` is set while
 * a classic script (async included) runs, but it is null when the tag was
 * injected by a tag manager in some setups or when an SVG script is current,
 * so fall back to the `script[data-bot]` tags, preferring one named embed.js.
 */
export function findLoaderScript(doc: ScriptLookup): ScriptLike | null {
  if (isScriptLike(doc.currentScript) && doc.currentScript.getAttribute('data-bot')) {
    return doc.currentScript;
  }
  const candidates = Array.from(doc.querySelectorAll('script[data-bot]')).filter(isScriptLike);
  return candidates.find((s) => /\/embed\.js(?:[?#]|$)/.test(s.src)) ?? candidates[0] ?? null;
}

/**
 * Mascot's origin is wherever embed.js was served from: the iframe, the API and
 * the WebSocket all live there. `src` is resolved against the page URL because
 * a relative src (same-origin installs, local testing) is legal.
 */
export function mascotOriginFromSrc(src: string, baseUrl: string): string | null {
  try {
    return parseOrigin(new URL(src, baseUrl).origin);
  } catch {
    return null;
  }
}

/**
 * The iframe URL. `host` tells the app which origin to postMessage to, so it
 * never has to use `*`; the app re-validates it before use.
 */
export function widgetFrameUrl(mascotOrigin: string, embedId: string, hostOrigin: string | null): string {
  let url = `${mascotOrigin}/widget/?bot=${encodeURIComponent(embedId)}`;
  if (hostOrigin) url += `&host=${encodeURIComponent(hostOrigin)}`;
  return url;
}

/**
 * Only our own iframe may ask the loader to do anything: the message must come
 * from Mascot's origin *and* from this exact iframe's window (another Mascot
 * iframe on the page, e.g. a second bot, has the same origin), and look like
 * one of our messages.
 */
export function isTrustedWidgetEvent(
  event: { origin: string; source: unknown; data: unknown },
  mascotOrigin: string,
  frameWindow: unknown,
): boolean {
  return (
    event.origin === mascotOrigin &&
    frameWindow != null &&
    event.source === frameWindow &&
    isWidgetMessage(event.data)
  );
}

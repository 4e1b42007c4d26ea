// Pure helpers for the loader (embed.ts), kept apart so they can be unit-tested
// without a DOM: the functions take the few DOM members they need as arguments.
// The chat app uses the visitor-id ones too, for when it is opened without the loader.

import { isWidgetMessage, parseOrigin } from './frame-protocol.ts';
import { parseEngagement, type Engagement } from './loader-attention.ts';

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
 * never has to use `*`; the app re-validates it before use. `visitor` keeps the
 * visitor's A/B variant sticky (the server picks it from the id); `variant` is
 * what the loader was told, for the app's analytics only.
 */
export function widgetFrameUrl(
  mascotOrigin: string,
  embedId: string,
  hostOrigin: string | null,
  visit: { visitor?: string | null; variant?: string | null } = {},
): string {
  let url = `${mascotOrigin}/widget/?bot=${encodeURIComponent(embedId)}`;
  if (hostOrigin) url += `&host=${encodeURIComponent(hostOrigin)}`;
  if (visit.visitor) url += `&visitor=${encodeURIComponent(visit.visitor)}`;
  if (visit.variant) url += `&variant=${encodeURIComponent(visit.variant)}`;
  return url;
}

/** The public loader configuration (GET /widget/config/:embedId). */
export function loaderConfigUrl(mascotOrigin: string, embedId: string, visitorId: string, pageOrigin: string | null): string {
  let url = `${mascotOrigin}/widget/config/${encodeURIComponent(embedId)}?visitor=${encodeURIComponent(visitorId)}`;
  // Same-origin GETs carry no Origin header, so the page says where it is; the header wins when present.
  if (pageOrigin) url += `&origin=${encodeURIComponent(pageOrigin)}`;
  return url;
}

export type DeviceKind = 'desktop' | 'tablet' | 'mobile';
export type WidgetPosition = 'bottom-right' | 'bottom-left';

/** What the loader needs from the bot, as the server sends it (checked, since it crosses the network). */
export interface LoaderConfig {
  placement: { include: string[]; exclude: string[]; delaySeconds: number; position: WidgetPosition; devices: DeviceKind[] };
  theme: { primaryColor: string; launcher: string };
  variantId: string | null;
  /** The teaser and whether new messages chime (absent from older servers: neither). */
  engagement: Engagement;
}

const HEX_COLOR = /^#[0-9a-f]{6}$/i;
const DEVICE_KINDS: readonly string[] = ['desktop', 'tablet', 'mobile'];
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((entry) => typeof entry === 'string');

/** The config body, or null when it is not what this loader understands (an old loader meeting a new server). */
export function parseLoaderConfig(body: unknown): LoaderConfig | null {
  if (typeof body !== 'object' || body === null) return null;
  const { placement, theme, variantId, originAllowed, engagement } = body as Record<string, any>;
  if (originAllowed !== true || typeof placement !== 'object' || placement === null || typeof theme !== 'object' || theme === null) return null;
  const { include, exclude, delaySeconds, position, devices } = placement;
  if (!isStringList(include) || !isStringList(exclude) || !isStringList(devices)) return null;
  if (typeof delaySeconds !== 'number' || !(delaySeconds >= 0)) return null;
  return {
    placement: {
      include,
      exclude,
      delaySeconds: Math.min(delaySeconds, 120),
      position: position === 'bottom-left' ? 'bottom-left' : 'bottom-right',
      devices: devices.filter((device) => DEVICE_KINDS.includes(device)) as DeviceKind[],
    },
    // The colour lands in a style sheet: only a plain #rrggbb gets there.
    theme: {
      primaryColor: typeof theme.primaryColor === 'string' && HEX_COLOR.test(theme.primaryColor) ? theme.primaryColor : '#4f46e5',
      launcher: typeof theme.launcher === 'string' ? theme.launcher : 'bubble',
    },
    variantId: typeof variantId === 'string' ? variantId : null,
    engagement: parseEngagement(engagement),
  };
}

/**
 * The kind of device, from the viewport and the primary pointer: a touch screen whose short side
 * is under 600 px is a phone, other touch screens are tablets; with a mouse, a window up to 480 px
 * wide gets the phone layout (full-screen chat) and everything else is a desktop.
 */
export function deviceKind(width: number, height: number, coarsePointer: boolean): DeviceKind {
  if (coarsePointer) return Math.min(width, height) < 600 ? 'mobile' : 'tablet';
  return width <= 480 ? 'mobile' : 'desktop';
}

/** Reads and writes the host page's storage; it may throw (storage disabled, sandboxed frames). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const VISITOR_STORAGE_KEY = 'mascot:visitor';
/** The visitor id format the server accepts (startConversation's visitorId); the chat app checks `visitor=` with it. */
export const VISITOR_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** An anonymous visitor id from 16 random bytes, as base64url (22 characters). */
export function newVisitorId(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The visitor's id on this site, created once and kept in the host page's localStorage, so the
 * A/B variant stays the same across visits. When storage is unavailable `fallback` (kept in
 * memory by the caller) serves for this page view.
 */
export function rememberedVisitorId(storage: () => StorageLike, fallback: string): string {
  try {
    const store = storage();
    const known = store.getItem(VISITOR_STORAGE_KEY);
    if (known && VISITOR_ID_PATTERN.test(known)) return known;
    store.setItem(VISITOR_STORAGE_KEY, fallback);
  } catch {
    // Storage blocked (privacy settings, sandboxed frame): the id lives as long as the page.
  }
  return fallback;
}

/** Events of the host API (window.Mascot.on). */
export const HOST_EVENTS = ['ready', 'open', 'close', 'message', 'lead'] as const;
export type HostEventName = (typeof HOST_EVENTS)[number];
export type HostEventHandler = (detail?: unknown) => void;

/**
 * The host API's listeners. A handler that throws is reported (to `report`), never rethrown:
 * one broken host handler must not stop the others, nor the widget. `ready` is sticky: a
 * handler registered after it fired is called at once.
 */
export function createHostEvents(report: (error: unknown) => void) {
  const handlers = new Map<string, Set<HostEventHandler>>();
  let readyDetail: { fired: boolean; detail?: unknown } = { fired: false };
  const call = (handler: HostEventHandler, detail: unknown): void => {
    try {
      handler(detail);
    } catch (error) {
      report(error);
    }
  };
  return {
    on(name: string, handler: unknown): boolean {
      if (!(HOST_EVENTS as readonly string[]).includes(name) || typeof handler !== 'function') return false;
      let set = handlers.get(name);
      if (!set) handlers.set(name, (set = new Set()));
      set.add(handler as HostEventHandler);
      if (name === 'ready' && readyDetail.fired) call(handler as HostEventHandler, readyDetail.detail);
      return true;
    },
    off(name: string, handler: unknown): void {
      handlers.get(name)?.delete(handler as HostEventHandler);
    },
    emit(name: HostEventName, detail?: unknown): void {
      if (name === 'ready') readyDetail = { fired: true, detail };
      for (const handler of [...(handlers.get(name) ?? [])]) call(handler, detail);
    },
  };
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

/** Wraps a callback so an exception inside it is reported instead of reaching the host page. */
export function guard<Args extends unknown[]>(report: (error: unknown) => void, run: (...args: Args) => void): (...args: Args) => void {
  return (...args) => {
    try {
      run(...args);
    } catch (error) {
      report(error);
    }
  };
}

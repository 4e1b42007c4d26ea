// The postMessage protocol between the loader (on the host page) and the chat
// app (in the iframe). Shared by both builds so the shapes cannot drift apart.
// Every message carries a `source` tag so each side can ignore the unrelated
// messages that host pages, extensions and other iframes post all the time.

export const WIDGET_MESSAGE_SOURCE = 'mascot-widget';
export const HOST_MESSAGE_SOURCE = 'mascot-host';

/** Iframe → host page. */
export interface WidgetMessage {
  source: typeof WIDGET_MESSAGE_SOURCE;
  type: 'close';
}

/** Host page → iframe. `opened` lets the app move focus into the composer. */
export interface HostMessage {
  source: typeof HOST_MESSAGE_SOURCE;
  type: 'opened';
}

function isTagged(data: unknown, source: string): data is { source: string; type: unknown } {
  return typeof data === 'object' && data !== null && (data as { source?: unknown }).source === source;
}

export function isWidgetMessage(data: unknown): data is WidgetMessage {
  return isTagged(data, WIDGET_MESSAGE_SOURCE) && data.type === 'close';
}

export function isHostMessage(data: unknown): data is HostMessage {
  return isTagged(data, HOST_MESSAGE_SOURCE) && data.type === 'opened';
}

/**
 * Validates an origin received as text (the iframe's `host=` query parameter).
 * Only a bare http(s) origin is accepted, because it becomes a postMessage
 * targetOrigin: anything else (a path, `*`, `null` from file:// pages) would
 * either throw or broadcast to whoever is framing us.
 */
export function parseOrigin(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin === value ? url.origin : null;
  } catch {
    return null;
  }
}

// The postMessage protocol between the loader (on the host page) and the chat
// app (in the iframe). Shared by both builds so the shapes cannot drift apart.
// Every message carries a `source` tag so each side can ignore the unrelated
// messages that host pages, extensions and other iframes post all the time.
// Each side checks the sender too (origin and window); see widget/README.md.

export const WIDGET_MESSAGE_SOURCE = 'mascot-widget';
export const HOST_MESSAGE_SOURCE = 'mascot-host';

/** Who wrote a chat message the host hears about: the visitor, the bot, or a person of the bot's team. */
export type ChatRole = 'visitor' | 'assistant' | 'agent';

/** A logged-in visitor as the host page describes them (Mascot.identify). */
export interface IdentifiedVisitor {
  id: string;
  name?: string;
  email?: string;
}

/**
 * Iframe → host page.
 * - `app-ready`: the app listens for host messages now; the loader sends `identify` and
 *   `opened` only after it (the frame's load event can come before React's effects run).
 *   `keepsConversation` is false when the browser blocks the frame's storage: a later page
 *   would start a new conversation, so the loader does not reconnect in the background.
 * - `close`: the visitor pressed Escape (or the close button) in the chat.
 * - `message`: the visitor sent a message, an assistant reply finished streaming, or an agent
 *   wrote; `authorName` is the bot's name for replies and the agent's display name for theirs.
 *   The loader counts the replies and agent messages that arrive while the panel is closed (unread
 *   badge, preview, sound, title) and relays every message to the host's `message` listeners.
 * - `lead`: the visitor left their contact details. No details travel: the host page's other
 *   scripts would see them, and the site owner gets the lead through Mascot already.
 */
export type WidgetMessage =
  | { source: typeof WIDGET_MESSAGE_SOURCE; type: 'app-ready'; keepsConversation?: boolean }
  | { source: typeof WIDGET_MESSAGE_SOURCE; type: 'close' | 'lead' }
  | { source: typeof WIDGET_MESSAGE_SOURCE; type: 'message'; role: ChatRole; text: string; authorName?: string };

/**
 * Host page → iframe.
 * - `opened`: the panel became visible, so the app can move focus into the composer.
 * - `identify`: the host page's logged-in visitor (only used to prefill the lead form).
 */
export type HostMessage =
  | { source: typeof HOST_MESSAGE_SOURCE; type: 'opened' }
  | { source: typeof HOST_MESSAGE_SOURCE; type: 'identify'; visitor: IdentifiedVisitor };

/** Longest message text relayed to the host; a reply longer than this is cut, never dropped. */
export const MAX_RELAYED_TEXT = 20_000;
/** Longest author name relayed (agents' display names and bot names are shorter). */
export const MAX_AUTHOR_NAME = 200;

const CHAT_ROLES: readonly unknown[] = ['visitor', 'assistant', 'agent'];

function isTagged(data: unknown, source: string): data is { source: string; type: unknown; [key: string]: unknown } {
  return typeof data === 'object' && data !== null && (data as { source?: unknown }).source === source;
}

const isText = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;

export function isWidgetMessage(data: unknown): data is WidgetMessage {
  if (!isTagged(data, WIDGET_MESSAGE_SOURCE)) return false;
  if (data.type === 'app-ready' || data.type === 'close' || data.type === 'lead') return true;
  return (
    data.type === 'message' &&
    CHAT_ROLES.includes(data['role']) &&
    isText(data['text'], MAX_RELAYED_TEXT) &&
    (data['authorName'] === undefined || isText(data['authorName'], MAX_AUTHOR_NAME))
  );
}

/**
 * The visitor a host page passes to identify(), cleaned: an id of 1-128 characters, a name of at
 * most 200 and an email that looks like one (at most 254); anything else is dropped. Null when the
 * id is missing or unusable, so a broken call changes nothing.
 */
export function parseIdentifiedVisitor(value: unknown): IdentifiedVisitor | null {
  if (typeof value !== 'object' || value === null) return null;
  const { id, name, email } = value as Record<string, unknown>;
  const cleanId = typeof id === 'number' && Number.isFinite(id) ? String(id) : id;
  if (typeof cleanId !== 'string' || cleanId.trim() === '' || cleanId.length > 128) return null;
  const visitor: IdentifiedVisitor = { id: cleanId.trim() };
  if (isText(name, 200) && name.trim()) visitor.name = name.trim();
  if (isText(email, 254) && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) visitor.email = email.trim();
  return visitor;
}

export function isHostMessage(data: unknown): data is HostMessage {
  if (!isTagged(data, HOST_MESSAGE_SOURCE)) return false;
  if (data.type === 'opened') return true;
  return data.type === 'identify' && parseIdentifiedVisitor(data['visitor']) !== null;
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

// The iframe's side of the postMessage protocol with the loader on the host page.
// Messages go only to the origin the loader passed in `host=` (never `*`), and
// incoming ones are accepted only from our parent window at that origin.

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import {
  isHostMessage,
  MAX_AUTHOR_NAME,
  MAX_RELAYED_TEXT,
  parseIdentifiedVisitor,
  WIDGET_MESSAGE_SOURCE,
  type ChatRole,
  type IdentifiedVisitor,
  type WidgetMessage,
} from '../frame-protocol.ts';
import type { ChatMessage, ContactFormState } from './conversation-state.ts';
import { isStorageAvailable } from './session-store.ts';

export interface HostBridge {
  /** True when the app runs in a frame whose parent told us its origin. */
  embedded: boolean;
  /**
   * The host page's logged-in visitor (Mascot.identify), or null. Used only to prefill the contact
   * form: the host page's word is not verified, so nothing of it is sent to the server unless the
   * visitor submits the form themselves.
   */
  identifiedVisitor: IdentifiedVisitor | null;
  /** Asks the loader to close the panel. */
  requestClose(): void;
  /** Tells the loader (unread badge) and the host page's Mascot.on('message') listeners about a settled message. */
  announceMessage(role: ChatRole, text: string, authorName?: string): void;
  /** Tells the host page's Mascot.on('lead') listeners that the visitor left contact details. */
  announceLead(): void;
}

export function useHostBridge(hostOrigin: string | null, onOpened: () => void): HostBridge {
  const embedded = hostOrigin !== null && window.parent !== window;
  const [identifiedVisitor, setIdentifiedVisitor] = useState<IdentifiedVisitor | null>(null);
  // Latest callback without re-registering the listeners on every render.
  const onOpenedRef = useRef(onOpened);
  useEffect(() => {
    onOpenedRef.current = onOpened;
  }, [onOpened]);

  const post = useCallback(
    (message: WidgetMessage) => {
      if (embedded && hostOrigin) window.parent.postMessage(message, hostOrigin);
    },
    [embedded, hostOrigin],
  );
  const requestClose = useCallback(() => post({ source: WIDGET_MESSAGE_SOURCE, type: 'close' }), [post]);
  const announceMessage = useCallback(
    (role: ChatRole, text: string, authorName?: string) =>
      post({
        source: WIDGET_MESSAGE_SOURCE,
        type: 'message',
        role,
        text: text.slice(0, MAX_RELAYED_TEXT),
        ...(authorName ? { authorName: authorName.slice(0, MAX_AUTHOR_NAME) } : {}),
      }),
    [post],
  );
  const announceLead = useCallback(() => post({ source: WIDGET_MESSAGE_SOURCE, type: 'lead' }), [post]);

  // A layout effect: registered before the first paint, so an Escape pressed as soon as the composer
  // shows is never missed (a passive effect runs only after the browser painted).
  useLayoutEffect(() => {
    if (!embedded) return;
    const onMessage = (event: MessageEvent): void => {
      if (event.source !== window.parent || event.origin !== hostOrigin || !isHostMessage(event.data)) return;
      if (event.data.type === 'opened') onOpenedRef.current();
      else setIdentifiedVisitor(parseIdentifiedVisitor(event.data.visitor));
    };
    const onKeyDown = (event: KeyboardEvent): void => {
      // Escape while an IME is composing cancels the composition, not the chat.
      if (event.key === 'Escape' && !event.isComposing && !event.defaultPrevented) requestClose();
    };
    window.addEventListener('message', onMessage);
    window.addEventListener('keydown', onKeyDown);
    post({ source: WIDGET_MESSAGE_SOURCE, type: 'app-ready', keepsConversation: isStorageAvailable() });
    return () => {
      window.removeEventListener('message', onMessage);
      window.removeEventListener('keydown', onKeyDown);
    };
  }, [embedded, hostOrigin, post, requestClose]);

  return { embedded, identifiedVisitor, requestClose, announceMessage, announceLead };
}

/** The last status seen per message id, for settledSince. */
export type SeenStatuses = Map<string, string>;

/** A message the host hears about; `authorName` is the agent's display name (the bot's is added by the caller). */
export interface SettledMessage {
  role: ChatRole;
  text: string;
  authorName?: string;
}

/**
 * Messages that settled since `seen` was last updated (and updates it): a visitor message once the
 * server stored it, an assistant reply once it completed, an agent's message when it appears. Only
 * news counts: a message first seen already settled in the first transcript seen (the restored
 * one, the greeting) is history. Agent messages arrive whole, so one first seen after that (live,
 * or in the replay of what happened while the visitor was on another page) is news.
 */
export function settledSince(seen: SeenStatuses, messages: readonly ChatMessage[]): SettledMessage[] {
  const settled: SettledMessage[] = [];
  const primed = seen.size > 0;
  for (const message of messages) {
    if (message.kind === 'agent') {
      if (!seen.has(message.id) && primed) settled.push({ role: 'agent', text: message.text, authorName: message.authorName });
      seen.set(message.id, 'posted');
      continue;
    }
    if (message.kind !== 'visitor' && message.kind !== 'assistant') continue;
    const before = seen.get(message.id);
    seen.set(message.id, message.status);
    const done = message.kind === 'visitor' ? message.status === 'sent' : message.status === 'complete';
    if (done && before !== undefined && before !== message.status) settled.push({ role: message.kind, text: message.text });
  }
  return settled;
}

/** Relays settled messages and a newly submitted contact form to the host page's event listeners. */
export function useHostAnnouncements(
  bridge: HostBridge,
  messages: readonly ChatMessage[],
  contactForm: ContactFormState,
  botName?: string,
): void {
  const seen = useRef<SeenStatuses>(new Map());
  const { announceMessage, announceLead } = bridge;
  const botNameRef = useRef(botName);
  botNameRef.current = botName;
  useEffect(() => {
    for (const { role, text, authorName } of settledSince(seen.current, messages)) {
      announceMessage(role, text, role === 'assistant' ? botNameRef.current : authorName);
    }
  }, [messages, announceMessage]);
  const previousForm = useRef(contactForm);
  useEffect(() => {
    // Only the form being sent counts; a restored conversation that had one (hidden → submitted) is history.
    if (contactForm === 'submitted' && previousForm.current === 'offered') announceLead();
    previousForm.current = contactForm;
  }, [contactForm, announceLead]);
}

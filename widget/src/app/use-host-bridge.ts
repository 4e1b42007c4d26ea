// The iframe's side of the postMessage protocol with the loader on the host page.
// Messages go only to the origin the loader passed in `host=` (never `*`), and
// incoming ones are accepted only from our parent window at that origin.

import { useCallback, useEffect, useRef } from 'react';
import { isHostMessage, WIDGET_MESSAGE_SOURCE, type WidgetMessage } from '../frame-protocol.ts';

export interface HostBridge {
  /** True when the app runs in a frame whose parent told us its origin. */
  embedded: boolean;
  /** Asks the loader to close the panel. */
  requestClose(): void;
}

export function useHostBridge(hostOrigin: string | null, onOpened: () => void): HostBridge {
  const embedded = hostOrigin !== null && window.parent !== window;
  // Latest callback without re-registering the listeners on every render.
  const onOpenedRef = useRef(onOpened);
  useEffect(() => {
    onOpenedRef.current = onOpened;
  }, [onOpened]);

  const requestClose = useCallback(() => {
    if (!embedded || !hostOrigin) return;
    const message: WidgetMessage = { source: WIDGET_MESSAGE_SOURCE, type: 'close' };
    window.parent.postMessage(message, hostOrigin);
  }, [embedded, hostOrigin]);

  useEffect(() => {
    if (!embedded) return;
    const onMessage = (event: MessageEvent): void => {
      if (event.source === window.parent && event.origin === hostOrigin && isHostMessage(event.data)) {
        onOpenedRef.current();
      }
    };
    const onKeyDown = (event: KeyboardEvent): void => {
      // Escape while an IME is composing cancels the composition, not the chat.
      if (event.key === 'Escape' && !event.isComposing && !event.defaultPrevented) requestClose();
    };
    window.addEventListener('message', onMessage);
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('message', onMessage);
      window.removeEventListener('keydown', onKeyDown);
    };
  }, [embedded, hostOrigin, requestClose]);

  return { embedded, requestClose };
}

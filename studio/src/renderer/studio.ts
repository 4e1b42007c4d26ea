// The renderer's handle on the main process: window.studio (exposed by the preload) wrapped so
// calls return values and throw StudioError. Nothing else of the system is reachable from here.
import type { StudioBridge } from '../shared/studio-bridge.ts';
import { createStudioClient } from '../shared/studio-bridge.ts';
import type { StudioEventListener } from '../shared/studio-events.ts';

declare global {
  interface Window {
    studio: StudioBridge;
  }
}

export const studio = createStudioClient(window.studio);

/** Listens to what main pushes (sync queue state, chat tokens, session end); returns the unsubscribe. */
export const onStudioEvent = (listener: StudioEventListener): (() => void) => window.studio.onEvent(listener);
export { SERVER_CHAT_HISTORY_TURNS } from '../shared/studio-api.ts';
export { StudioError } from '../shared/studio-error.ts';
export type * from '../shared/studio-api.ts';

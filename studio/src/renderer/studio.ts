// The renderer's handle on the main process: window.studio (exposed by the preload) wrapped so
// calls return values and throw StudioError. Nothing else of the system is reachable from here.
import type { StudioBridge } from '../shared/studio-bridge.ts';
import { createStudioClient } from '../shared/studio-bridge.ts';

declare global {
  interface Window {
    studio: StudioBridge;
  }
}

export const studio = createStudioClient(window.studio);
export { StudioError } from '../shared/studio-error.ts';
export type * from '../shared/studio-api.ts';

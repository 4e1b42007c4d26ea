// What the preload exposes as window.studio: every StudioApi method, answering an envelope instead
// of throwing (Electron's IPC and contextBridge keep only an error's message). The renderer wraps
// it with createStudioClient to get the plain StudioApi back, failures as StudioError.
import { STUDIO_METHODS } from './ipc-channels.ts';
import type { StudioApi, StudioEventListener, StudioMethod } from './studio-api.ts';
import { StudioError, type IpcResult } from './studio-error.ts';

export type StudioBridge = {
  [M in StudioMethod]: (...args: Parameters<StudioApi[M]>) => Promise<IpcResult<Awaited<ReturnType<StudioApi[M]>>>>;
} & {
  /** Listens to the events main pushes (sync queue state, chat tokens, session end); returns the unsubscribe. */
  onEvent(listener: StudioEventListener): () => void;
};

export function createStudioClient(bridge: StudioBridge): StudioApi {
  const entries = STUDIO_METHODS.map((method) => [
    method,
    async (...args: unknown[]) => {
      const result = await (bridge[method] as (...values: unknown[]) => Promise<IpcResult>)(...args);
      if (!result.ok) throw StudioError.fromData(result.error);
      return result.value;
    },
  ]);
  return Object.fromEntries(entries) as StudioApi;
}

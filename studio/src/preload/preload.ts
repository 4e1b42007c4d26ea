// The only bridge between Studio's page and the main process: window.studio, one function per
// IPC channel plus onEvent for what main pushes; nothing else of Electron or Node reaches the page
// (context isolation + sandbox).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { STUDIO_EVENT_CHANNEL, STUDIO_METHODS, channelOf } from '../shared/ipc-channels.ts';
import type { StudioBridge } from '../shared/studio-bridge.ts';
import { studioEventSchema, type StudioEventListener } from '../shared/studio-events.ts';

const methods = Object.fromEntries(
  STUDIO_METHODS.map((method) => [method, (...args: unknown[]) => ipcRenderer.invoke(channelOf(method), ...args)]),
);

/** Main validates every event before sending; checked again here, so the page never sees anything else. */
function onEvent(listener: StudioEventListener): () => void {
  const handler = (_event: IpcRendererEvent, payload: unknown) => {
    const parsed = studioEventSchema.safeParse(payload);
    if (parsed.success) listener(parsed.data);
  };
  ipcRenderer.on(STUDIO_EVENT_CHANNEL, handler);
  return () => void ipcRenderer.removeListener(STUDIO_EVENT_CHANNEL, handler);
}

const bridge = { ...methods, onEvent } as unknown as StudioBridge;

contextBridge.exposeInMainWorld('studio', bridge);

// The only bridge between Studio's page and the main process: window.studio, one function per
// IPC channel, nothing else of Electron or Node reaches the page (context isolation + sandbox).
import { contextBridge, ipcRenderer } from 'electron';
import { STUDIO_METHODS, channelOf } from '../shared/ipc-channels.ts';
import type { StudioBridge } from '../shared/studio-bridge.ts';

const bridge = Object.fromEntries(
  STUDIO_METHODS.map((method) => [method, (...args: unknown[]) => ipcRenderer.invoke(channelOf(method), ...args)]),
) as StudioBridge;

contextBridge.exposeInMainWorld('studio', bridge);

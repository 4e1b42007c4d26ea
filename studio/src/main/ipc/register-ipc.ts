// Wires the dispatcher to Electron's ipcMain: one `handle` per channel named in shared/ipc-channels.
import type { IpcMain } from 'electron';
import { STUDIO_METHODS, channelOf } from '../../shared/ipc-channels.ts';
import type { IpcDispatcher } from './ipc-dispatcher.ts';

export function registerIpcHandlers(ipcMain: Pick<IpcMain, 'handle'>, dispatch: IpcDispatcher): void {
  for (const method of STUDIO_METHODS) {
    // senderFrame is the frame that sent the message: its URL proves the call comes from our own page.
    ipcMain.handle(channelOf(method), (event, ...args: unknown[]) => dispatch(method, args, event.senderFrame?.url));
  }
}

// One entry point for every call from a renderer: check who is calling, check the arguments
// against the channel's schema, run it, and answer an envelope (Electron's IPC keeps only the
// message of a thrown error, so failures travel as data with their code and field errors).
import { ErrorCode } from '@mascot/contracts';
import { isStudioMethod } from '../../shared/ipc-channels.ts';
import { IPC_ARGUMENTS } from '../../shared/ipc-schemas.ts';
import type { StudioApi } from '../../shared/studio-api.ts';
import { StudioError, type IpcResult } from '../../shared/studio-error.ts';

export type SenderCheck = (senderUrl: string | undefined) => boolean;

export type IpcDispatcher = (method: string, args: unknown, senderUrl: string | undefined) => Promise<IpcResult>;

/** Unexpected failures are masked: the renderer gets a code and a generic message, the log gets the rest. */
export function createIpcDispatcher(api: StudioApi, isTrustedSender: SenderCheck, log: (error: unknown) => void = () => {}): IpcDispatcher {
  return async (method, args, senderUrl) => {
    try {
      if (!isTrustedSender(senderUrl)) throw new StudioError(ErrorCode.FORBIDDEN, 'Only Studio pages may call Studio.');
      if (!isStudioMethod(method)) throw StudioError.notFound(`The Studio method "${method}"`);
      const parsed = IPC_ARGUMENTS[method].safeParse(args);
      if (!parsed.success) {
        throw StudioError.invalid(parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(arguments)', message: issue.message })));
      }
      const call = api[method] as (...values: unknown[]) => Promise<unknown>;
      return { ok: true, value: await call(...(parsed.data as unknown[])) };
    } catch (error) {
      if (error instanceof StudioError) return { ok: false, error: error.toData() };
      log(error);
      return { ok: false, error: { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Something went wrong in Studio; see the log.', fields: [] } };
    }
  };
}


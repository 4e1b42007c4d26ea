// The designer's session with a Mascot server: signed in once per app run, the access token kept
// in the main process only (the renderer never sees it).
import { ErrorCode, isErrorCode } from '@mascot/contracts';
import { MascotApiError, StudioLogInDocument, createMascotClient, type MascotClient } from '@mascot/sdk';
import type { SessionInfo } from '../../shared/studio-api.ts';
import { StudioError } from '../../shared/studio-error.ts';

/** The server cannot be reached: the sync waits in the queue instead of failing the edit. */
export class OfflineError extends StudioError {
  constructor(cause: unknown) {
    super(ErrorCode.SERVICE_UNAVAILABLE, 'The Mascot server cannot be reached; the sync will run when it can.', [], { cause });
  }
}

/** Server answers become StudioErrors with the server's code and field errors; network failures become OfflineError. */
export function toStudioError(error: unknown): StudioError {
  if (error instanceof StudioError) return error;
  if (error instanceof MascotApiError) {
    const code = isErrorCode(error.code) ? error.code : ErrorCode.INTERNAL_SERVER_ERROR;
    const fieldErrors = Array.isArray(error.details['fieldErrors']) ? (error.details['fieldErrors'] as { field: string; message: string }[]) : [];
    return new StudioError(code, error.message, fieldErrors, { cause: error });
  }
  if (error instanceof TypeError || (error as NodeJS.ErrnoException)?.code === 'ECONNREFUSED') return new OfflineError(error);
  return new StudioError(ErrorCode.INTERNAL_SERVER_ERROR, error instanceof Error ? error.message : String(error), [], { cause: error });
}

export async function callServer<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toStudioError(error);
  }
}

export class ServerSession {
  private current: { info: SessionInfo; client: MascotClient } | null = null;

  constructor(private readonly fetchImpl: typeof fetch = fetch) {}

  async signIn(serverUrl: string, email: string, password: string): Promise<SessionInfo> {
    const anonymous = createMascotClient({ url: `${serverUrl}/graphql`, fetch: this.fetchImpl });
    const { logIn } = await callServer(() => anonymous.request(StudioLogInDocument, { input: { email, password } }));
    const client = createMascotClient({ url: `${serverUrl}/graphql`, auth: { accessToken: logIn.accessToken }, fetch: this.fetchImpl });
    await this.current?.client.close();
    this.current = { info: { serverUrl, email: logIn.user.email, tenantName: logIn.tenant.name }, client };
    return this.current.info;
  }

  info(): SessionInfo | null {
    return this.current?.info ?? null;
  }

  /** The signed-in client for `serverUrl`; a project linked to another server needs its own sign-in. */
  client(serverUrl?: string): MascotClient {
    if (!this.current) throw new StudioError(ErrorCode.UNAUTHENTICATED, 'Sign in to a Mascot server first.');
    if (serverUrl && serverUrl !== this.current.info.serverUrl) {
      throw new StudioError(ErrorCode.UNAUTHENTICATED, `This project is linked to ${serverUrl}; sign in there first.`);
    }
    return this.current.client;
  }

  get fetch(): typeof fetch {
    return this.fetchImpl;
  }

  async close(): Promise<void> {
    await this.current?.client.close();
    this.current = null;
  }
}

// The designer's session with a Mascot server. Tokens stay in the main process (the renderer never
// sees one): a short-lived access token in memory, and the refresh token in the SessionVault
// (encrypted on disk where the OS keeps the key, else in memory).
//
// The access token is renewed before it expires and, should the server still answer UNAUTHENTICATED
// (clock skew, a restart of Studio), once more and the request retried. Renewal rotates the refresh
// token; a refresh token the server refuses (revoked, reused, expired) ends the session: the
// designer is signed out with a reason, which the renderer hears as a `session` event.
import { ErrorCode, isErrorCode } from '@mascot/contracts';
import { MascotApiError, StudioLogInDocument, StudioRefreshSessionDocument, createMascotClient, type MascotClient } from '@mascot/sdk';
import type { SessionInfo } from '../../shared/studio-api.ts';
import { StudioError } from '../../shared/studio-error.ts';
import type { StudioEvent } from '../../shared/studio-events.ts';
import { memorySessionVault, type SessionVault, type StoredSession } from './session-vault.ts';

/** Renew this long before expiry, or at a quarter of the token's lifetime for short-lived tokens. */
const RENEW_BEFORE_MS = 60_000;

/** The server cannot be reached: the sync waits in the queue instead of failing the edit. */
export class OfflineError extends StudioError {
  constructor(cause: unknown, message = 'The Mascot server cannot be reached; the sync will run when it can.') {
    super(ErrorCode.SERVICE_UNAVAILABLE, message, [], { cause });
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

/** Seconds-since-epoch claims of a JWT, read without verifying (the server verifies; we only plan renewal). */
function lifetimeOf(accessToken: string): { issuedAtMs: number; expiresAtMs: number } | null {
  try {
    const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iat?: unknown; exp?: unknown };
    if (typeof payload.exp !== 'number') return null;
    const issuedAt = typeof payload.iat === 'number' ? payload.iat : payload.exp - 900;
    return { issuedAtMs: issuedAt * 1000, expiresAtMs: payload.exp * 1000 };
  } catch {
    return null;
  }
}

/** Does this GraphQL answer refuse our token? Read from a clone, so the caller still gets the body. */
async function isUnauthenticated(response: Response): Promise<boolean> {
  if (response.status !== 401 && !(response.headers.get('content-type') ?? '').includes('json')) return false;
  const body = (await response.clone().json().catch(() => null)) as { errors?: { extensions?: { code?: unknown } }[] } | null;
  return response.status === 401 || (body?.errors ?? []).some((e) => e.extensions?.code === ErrorCode.UNAUTHENTICATED);
}

/** The server refuses a socket's token by closing it with 4403 in onConnect, an operation's with UNAUTHENTICATED. */
const FORBIDDEN_CLOSE_CODE = 4403;
function isRefusedToken(error: unknown): boolean {
  if (error instanceof MascotApiError) return error.code === ErrorCode.UNAUTHENTICATED;
  return (error as { code?: unknown } | null)?.code === FORBIDDEN_CLOSE_CODE;
}

interface Current {
  stored: StoredSession;
  accessToken: string | null;
  client: MascotClient;
}

export interface ServerSessionOptions {
  fetch?: typeof fetch;
  vault?: SessionVault;
  /** Milliseconds since the epoch; tests move it to reach a token's renewal time. */
  now?: () => number;
  emit?: (event: StudioEvent) => void;
}

export class ServerSession {
  private current: Current | null = null;
  private renewing: Promise<string> | null = null;
  private readonly fetchImpl: typeof fetch;
  private readonly vault: SessionVault;
  private readonly now: () => number;
  private readonly emit: (event: StudioEvent) => void;

  constructor(options: ServerSessionOptions = {}) {
    this.fetchImpl = options.fetch ?? fetch;
    this.vault = options.vault ?? memorySessionVault();
    this.now = options.now ?? Date.now;
    this.emit = options.emit ?? (() => {});
  }

  private anonymous(serverUrl: string): MascotClient {
    return createMascotClient({ url: `${serverUrl}/graphql`, fetch: this.fetchImpl });
  }

  async signIn(serverUrl: string, email: string, password: string): Promise<SessionInfo> {
    const { logIn } = await callServer(() => this.anonymous(serverUrl).request(StudioLogInDocument, { input: { email, password } }));
    const stored = { serverUrl, email: logIn.user.email, tenantName: logIn.tenant.name, refreshToken: logIn.refreshToken };
    await this.start(stored, logIn.accessToken);
    return this.info()!;
  }

  /** Picks up the session saved by an earlier run, if the vault kept one; its access token is renewed on first use. */
  async restore(): Promise<SessionInfo | null> {
    const stored = await this.vault.load();
    if (stored && !this.current) await this.start(stored, null);
    return this.info();
  }

  private async start(stored: StoredSession, accessToken: string | null): Promise<void> {
    await this.current?.client.close();
    const client = createMascotClient({ url: `${stored.serverUrl}/graphql`, fetch: (input, init) => this.authorizedFetch(input, init) });
    this.current = { stored, accessToken, client };
    await this.vault.save(stored);
    this.emit({ type: 'session', session: this.info(), reason: null });
  }

  info(): SessionInfo | null {
    if (!this.current) return null;
    const { serverUrl, email, tenantName } = this.current.stored;
    return { serverUrl, email, tenantName };
  }

  /** The signed-in client for `serverUrl`; a project linked to another server needs its own sign-in. */
  client(serverUrl?: string): MascotClient {
    return this.signedIn(serverUrl).client;
  }

  private signedIn(serverUrl?: string): Current {
    if (!this.current) throw new StudioError(ErrorCode.UNAUTHENTICATED, 'Sign in to a Mascot server first.');
    if (serverUrl && serverUrl !== this.current.stored.serverUrl) {
      throw new StudioError(ErrorCode.UNAUTHENTICATED, `This project is linked to ${serverUrl}; sign in there first.`);
    }
    return this.current;
  }

  /**
   * Subscribes with a fresh access token (the socket authenticates once, when it opens) through
   * `open`; the socket is closed when the iteration ends. A refused token is renewed once and the
   * subscription opened again.
   */
  async *subscribe<T>(serverUrl: string, open: (client: MascotClient) => AsyncIterableIterator<T>): AsyncGenerator<T> {
    // Sockets do not go through fetch: ask over HTTP first, so being offline is an error at once
    // instead of the socket client's reconnect attempts.
    await callServer(() => this.fetchImpl(`${serverUrl}/healthz`));
    let token = await this.freshAccessToken(serverUrl);
    for (let attempt = 1; ; attempt++) {
      const client = createMascotClient({ url: `${serverUrl}/graphql`, auth: { accessToken: token } });
      let received = false;
      try {
        for await (const result of open(client)) {
          received = true;
          yield result;
        }
        return;
      } catch (error) {
        if (!isRefusedToken(error) || received || attempt > 1) throw toStudioError(error);
        token = await this.renew(token);
      } finally {
        await client.close();
      }
    }
  }

  get fetch(): typeof fetch {
    return this.fetchImpl;
  }

  private async freshAccessToken(serverUrl?: string): Promise<string> {
    const current = this.signedIn(serverUrl);
    const token = current.accessToken;
    const lifetime = token ? lifetimeOf(token) : null;
    if (token && lifetime) {
      const renewBefore = Math.min(RENEW_BEFORE_MS, (lifetime.expiresAtMs - lifetime.issuedAtMs) / 4);
      if (this.now() < lifetime.expiresAtMs - renewBefore) return token;
    }
    return this.renew(token);
  }

  /** Every GraphQL request of the signed-in client: a fresh token, and one renewal and retry if it is refused. */
  private async authorizedFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
    const send = (token: string) => this.fetchImpl(input, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });
    const token = await this.freshAccessToken();
    const response = await send(token);
    if (!(await isUnauthenticated(response))) return response;
    return send(await this.renew(token));
  }

  /** Exchanges the refresh token for a new pair, once for any number of callers that found `stale` refused. */
  private renew(stale: string | null): Promise<string> {
    const current = this.signedIn();
    if (current.accessToken && current.accessToken !== stale) return Promise.resolve(current.accessToken);
    this.renewing ??= this.exchange(current).finally(() => (this.renewing = null));
    return this.renewing;
  }

  private async exchange(current: Current): Promise<string> {
    const { serverUrl } = current.stored;
    try {
      const { refreshSession } = await this.anonymous(serverUrl).request(StudioRefreshSessionDocument, { refreshToken: current.stored.refreshToken });
      current.stored = { ...current.stored, refreshToken: refreshSession.refreshToken };
      current.accessToken = refreshSession.accessToken;
      await this.vault.save(current.stored);
      return refreshSession.accessToken;
    } catch (error) {
      if (!(error instanceof MascotApiError && error.code === ErrorCode.UNAUTHENTICATED)) throw toStudioError(error);
      const reason = `Your session on ${serverUrl} has ended (signed out, revoked or expired); sign in again.`;
      await this.end(reason);
      throw new StudioError(ErrorCode.UNAUTHENTICATED, reason, [], { cause: error });
    }
  }

  private async end(reason: string): Promise<void> {
    const ending = this.current;
    this.current = null;
    await this.vault.clear();
    await ending?.client.close();
    this.emit({ type: 'session', session: null, reason });
  }

  async close(): Promise<void> {
    await this.current?.client.close();
    this.current = null;
  }
}

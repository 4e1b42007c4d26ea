/**
 * The signed-in session: access and refresh token kept in this browser tab's sessionStorage (never
 * localStorage), like the explorer: they leave with the tab, are not shared with other tabs, and a
 * page reload keeps you signed in. The strict CSP (script-src 'self', no inline scripts) is what keeps
 * other scripts from reading them. The access token is renewed shortly before it expires with the
 * single-use refresh token (refreshSession).
 */
import { LOG_IN, LOG_OUT, REFRESH_SESSION, SWITCH_TENANT } from './operations.ts';

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

const STORAGE_KEY = 'mascot-console:session';
/** Renew this long before the access token's `exp`, so a request never leaves with an expiring token. */
const RENEW_BEFORE_MS = 30_000;

export interface GraphqlError {
  message: string;
  extensions?: { code?: string; reason?: string } & Record<string, unknown>;
}

export class ApiError extends Error {
  constructor(readonly errors: GraphqlError[]) {
    super(errors[0]?.message ?? 'The request failed.');
  }
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

/** One GraphQL request over HTTP, outside urql: sign-in and token renewal. */
export async function postGraphql<T>(query: string, variables: Record<string, unknown>, accessToken?: string): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  let body: { data?: T | null; errors?: GraphqlError[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new ApiError([{ message: `The server answered ${response.status} ${response.statusText}.` }]);
  }
  if (body.errors?.length) throw new ApiError(body.errors);
  if (!body.data) throw new ApiError([{ message: 'The server sent no data.' }]);
  return body.data;
}


/** Seconds-since-epoch `exp` of a JWT, read without verifying (the server verifies); undefined if unreadable. */
function expiresAtMs(jwt: string): number | undefined {
  try {
    const payload = jwt.split('.')[1];
    if (!payload) return undefined;
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return typeof json.exp === 'number' ? json.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export class SessionStore {
  private tokens: Tokens | undefined;
  /** Changes when who is signed in, or to which tenant, changes (not on a token renewal): one API client each. */
  private identity = 0;
  private renewing: Promise<string | undefined> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Storage = window.sessionStorage) {
    try {
      const saved = storage.getItem(STORAGE_KEY);
      this.tokens = saved ? (JSON.parse(saved) as Tokens) : undefined;
    } catch {
      this.tokens = undefined;
    }
  }

  readonly subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  /** Whether someone is signed in (a stable snapshot for useSyncExternalStore). */
  readonly isSignedIn = () => this.tokens !== undefined;

  /** 0 when signed out; otherwise a number that changes with each sign-in and tenant switch. */
  readonly identityKey = () => (this.tokens ? this.identity : 0);

  private set(tokens: Tokens | undefined, newIdentity = false) {
    if (newIdentity) this.identity++;
    this.tokens = tokens;
    if (tokens) this.storage.setItem(STORAGE_KEY, JSON.stringify(tokens));
    else this.storage.removeItem(STORAGE_KEY);
    for (const listener of this.listeners) listener();
  }

  async signIn(email: string, password: string): Promise<void> {
    const data = await postGraphql<{ logIn: Tokens }>(
      LOG_IN,
      { input: { email, password } },
    );
    this.set(data.logIn, true);
  }

  /** Acts in another tenant the member belongs to (switchTenant): new tokens, a new API client. */
  async switchTenant(tenantId: string): Promise<void> {
    const token = await this.accessToken();
    const data = await postGraphql<{ switchTenant: Tokens }>(SWITCH_TENANT, { tenantId }, token);
    this.set(data.switchTenant, true);
  }

  /** Ends the session on the server too (its refresh token stops working), then forgets it here. */
  async signOut(): Promise<void> {
    const token = this.tokens?.accessToken;
    this.set(undefined);
    if (token) await postGraphql(LOG_OUT, {}, token).catch(() => undefined);
  }

  /** Forget the session without asking the server (it already refused the tokens). */
  drop(): void {
    this.set(undefined);
  }

  /** A current access token, renewed first when it is about to expire; undefined when signed out. */
  async accessToken(): Promise<string | undefined> {
    const tokens = this.tokens;
    if (!tokens) return undefined;
    const expiresAt = expiresAtMs(tokens.accessToken);
    if (expiresAt === undefined || expiresAt - Date.now() > RENEW_BEFORE_MS) return tokens.accessToken;
    // One renewal at a time: the refresh token is single use, and reusing one signs the session out.
    this.renewing ??= this.renew(tokens.refreshToken).finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async renew(refreshToken: string): Promise<string | undefined> {
    try {
      const data = await postGraphql<{ refreshSession: Tokens }>(
        REFRESH_SESSION,
        { refreshToken },
      );
      this.set(data.refreshSession);
      return data.refreshSession.accessToken;
    } catch {
      this.set(undefined);
      return undefined;
    }
  }
}

/**
 * The explorer's one current token ("Bearer …" value), kept in sessionStorage only: it goes away with
 * the browser tab and is never written to localStorage. GraphiQL's own state (tabs, history) is kept
 * in sessionStorage too (see main.tsx), because its history would otherwise persist request headers.
 */
const STORAGE_KEY = 'mascot:explorer:token';

type Listener = () => void;

/** sessionStorage, or an in-memory stand-in where it is missing or throws (blocked storage, some private modes). */
export function sessionStore(): Storage {
  try {
    const storage = window.sessionStorage;
    storage.getItem(STORAGE_KEY);
    return storage;
  } catch {
    return memoryStorage();
  }
}

/**
 * The storage GraphiQL gets for its tabs, history and settings. Given nothing, GraphiQL falls back to
 * localStorage, where its history would keep request headers (tokens) beyond the session. Like its
 * own localStorage wrapper, `clear()` (the settings dialog's "Clear data") removes GraphiQL's keys only.
 */
export function graphiqlStorage(storage: Storage): Storage {
  const ours = () => {
    const keys: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key?.startsWith('graphiql:')) keys.push(key);
    }
    return keys;
  };
  return {
    getItem: (key) => storage.getItem(key),
    setItem: (key, value) => storage.setItem(key, value),
    removeItem: (key) => storage.removeItem(key),
    key: (index) => ours()[index] ?? null,
    clear: () => ours().forEach((key) => storage.removeItem(key)),
    get length() {
      return ours().length;
    },
  };
}

function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
    key: (index) => [...items.keys()][index] ?? null,
    clear: () => items.clear(),
    get length() {
      return items.size;
    },
  };
}

export interface TokenStore {
  /** The current token (without "Bearer "), or null when signed out. */
  get(): string | null;
  set(token: string | null): void;
  /** Tokens that were current earlier in this page's life; tabs still holding them get the new one. */
  isRetired(token: string): boolean;
  subscribe(listener: Listener): () => void;
}

export function createTokenStore(storage: Storage): TokenStore {
  let current = readStored(storage);
  const retired = new Set<string>();
  const listeners = new Set<Listener>();
  return {
    get: () => current,
    set(token) {
      const next = token?.trim() || null;
      if (next === current) return;
      if (current) retired.add(current);
      if (next) retired.delete(next);
      current = next;
      try {
        if (next) storage.setItem(STORAGE_KEY, next);
        else storage.removeItem(STORAGE_KEY);
      } catch {
        // Quota or blocked storage: the token still works for this page.
      }
      for (const listener of listeners) listener();
    },
    isRetired: (token) => retired.has(token),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function readStored(storage: Storage): string | null {
  try {
    return storage.getItem(STORAGE_KEY) || null;
  } catch {
    return null;
  }
}

/** "Bearer abc" → "abc"; a pasted value with or without the scheme. */
export function tokenFromInput(value: string): string {
  return value.trim().replace(/^Bearer\s+/i, '').trim();
}

/** The Authorization value in a headers object, whatever the key's case. */
export function authorizationOf(headers: Record<string, unknown> | undefined): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === 'authorization' && typeof value === 'string' && value.trim()) return value.trim();
  }
  return undefined;
}

/**
 * The headers editor text with Authorization brought in line with the current token, or undefined
 * when nothing should change (already right, the text is not a JSON object the user is editing,
 * or the header holds some other token the user put there themselves — unless `force`).
 *
 * - signed in: a missing Authorization, or one holding a retired token, becomes "Bearer <token>"
 * - signed out: an Authorization holding a retired token is removed
 */
export function syncAuthorizationHeader(
  text: string,
  token: string | null,
  isRetired: (token: string) => boolean,
  options: { force?: boolean } = {},
): string | undefined {
  const headers = parseHeaders(text);
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === 'authorization');
  const existing = key === undefined ? undefined : headers[key];
  const existingToken = typeof existing === 'string' ? tokenFromInput(existing) : undefined;
  const ours = existingToken !== undefined && (isRetired(existingToken) || existingToken === token);

  if (token) {
    const wanted = `Bearer ${token}`;
    if (existing === wanted) return undefined;
    if (key !== undefined && !ours && !options.force) return undefined;
    const next: Record<string, unknown> = { Authorization: wanted };
    for (const [k, v] of Object.entries(headers)) if (k !== key) next[k] = v;
    return JSON.stringify(next, null, 2);
  }
  if (key === undefined || (!ours && !options.force)) return undefined;
  const { [key]: _removed, ...rest } = headers;
  return Object.keys(rest).length === 0 ? '' : JSON.stringify(rest, null, 2);
}

function parseHeaders(text: string): Record<string, unknown> | undefined {
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The first accessToken or visitorToken in a GraphQL response (logIn, signUp, startConversation). */
export function tokenInResponse(responseText: string): string | undefined {
  let response: unknown;
  try {
    response = JSON.parse(responseText);
  } catch {
    return undefined;
  }
  const seen = new Set<unknown>();
  const visit = (value: unknown): string | undefined => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return undefined;
    seen.add(value);
    for (const [key, child] of Object.entries(value)) {
      if ((key === 'accessToken' || key === 'visitorToken') && typeof child === 'string' && child) return child;
    }
    for (const child of Object.values(value)) {
      const found = visit(child);
      if (found) return found;
    }
    return undefined;
  };
  return visit((response as { data?: unknown } | null)?.data);
}

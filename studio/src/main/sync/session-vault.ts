// Where the server session's refresh token lives between app runs. Only the main process ever holds
// a token; the renderer gets SessionInfo (server, email, tenant) and nothing else.
//
// Persisted only when the OS keeps the key: Electron's safeStorage encrypts with the login keychain
// (macOS), DPAPI (Windows) or libsecret/KWallet (Linux). On Linux without a secret service it falls
// back to "basic_text", a key hard-coded in Chromium: that is obfuscation, not encryption, so the
// token then stays in memory and the designer signs in again next run. Access tokens are never
// written anywhere: they live minutes and are renewed from the refresh token.
import { readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../workspace/atomic-file.ts';

export interface StoredSession {
  serverUrl: string;
  email: string;
  tenantName: string;
  refreshToken: string;
}

export interface SessionVault {
  /** Whether a saved session survives a restart (false: memory only). */
  readonly persistent: boolean;
  load(): Promise<StoredSession | null>;
  save(session: StoredSession): Promise<void>;
  clear(): Promise<void>;
}

/** The part of Electron's safeStorage the vault uses (tests pass their own). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which secret store backs the key. */
  getSelectedStorageBackend?(): string;
}

export function memorySessionVault(): SessionVault {
  let stored: StoredSession | null = null;
  return {
    persistent: false,
    load: async () => stored,
    save: async (session) => void (stored = session),
    clear: async () => void (stored = null),
  };
}

const isStoredSession = (value: unknown): value is StoredSession =>
  !!value && typeof value === 'object' &&
  ['serverUrl', 'email', 'tenantName', 'refreshToken'].every((key) => typeof (value as Record<string, unknown>)[key] === 'string');

/** Encrypted in `file` when safeStorage has a real OS-backed key; in memory otherwise. */
export function createSessionVault(file: string, safeStorage: SafeStorageLike): SessionVault {
  const backend = safeStorage.getSelectedStorageBackend?.();
  if (!safeStorage.isEncryptionAvailable() || backend === 'basic_text' || backend === 'unknown') return memorySessionVault();
  return {
    persistent: true,
    async load() {
      const encrypted = await readFile(file).catch(() => null);
      if (!encrypted) return null;
      try {
        const session: unknown = JSON.parse(safeStorage.decryptString(encrypted));
        return isStoredSession(session) ? session : null;
      } catch {
        // Another user's or an OS-reset key cannot decrypt it: the designer signs in again.
        await rm(file, { force: true });
        return null;
      }
    },
    save: (session) => writeFileAtomic(file, safeStorage.encryptString(JSON.stringify(session))),
    clear: () => rm(file, { force: true }),
  };
}

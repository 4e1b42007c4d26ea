import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessionVault, type SafeStorageLike } from './session-vault.ts';

const SESSION = { serverUrl: 'https://mascot.example.com', email: 'dana@example.com', tenantName: 'Acme', refreshToken: 'mrt_secret-refresh-token' };

/** Stands in for Electron's safeStorage: a reversible transform keyed by `key`, so another key cannot read it. */
function fakeSafeStorage(options: { available?: boolean; backend?: string; key?: number } = {}): SafeStorageLike {
  const key = options.key ?? 7;
  const flip = (bytes: Buffer) => Buffer.from(bytes.map((b) => b ^ key));
  return {
    isEncryptionAvailable: () => options.available ?? true,
    encryptString: (text) => Buffer.concat([Buffer.from([key]), flip(Buffer.from(text, 'utf8'))]),
    decryptString: (data) => {
      if (data[0] !== key) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return flip(data.subarray(1)).toString('utf8');
    },
    ...(options.backend ? { getSelectedStorageBackend: () => options.backend! } : {}),
  };
}

let dir: string;
beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), 'studio-vault-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('the session vault', () => {
  it('keeps the refresh token encrypted on disk across runs and forgets it on sign-out', async () => {
    const file = path.join(dir, 'session.bin');
    const vault = createSessionVault(file, fakeSafeStorage({ backend: 'gnome_libsecret' }));
    expect(vault.persistent).toBe(true);
    await vault.save(SESSION);
    expect((await readFile(file)).toString('latin1')).not.toContain('mrt_secret-refresh-token');
    expect(await createSessionVault(file, fakeSafeStorage()).load()).toEqual(SESSION);
    await vault.clear();
    expect(await vault.load()).toBeNull();
  });

  it('keeps tokens in memory only when the OS has no real key (none, or Linux basic_text)', async () => {
    for (const storage of [fakeSafeStorage({ available: false }), fakeSafeStorage({ backend: 'basic_text' })]) {
      const file = path.join(dir, 'session.bin');
      const vault = createSessionVault(file, storage);
      expect(vault.persistent).toBe(false);
      await vault.save(SESSION);
      expect(await vault.load()).toEqual(SESSION);
      await expect(readFile(file)).rejects.toThrow(/ENOENT/);
    }
  });

  it('drops a file it cannot decrypt (another key) or that holds no session, so the designer signs in again', async () => {
    const file = path.join(dir, 'session.bin');
    await createSessionVault(file, fakeSafeStorage({ key: 9 })).save(SESSION);
    expect(await createSessionVault(file, fakeSafeStorage({ key: 7 })).load()).toBeNull();
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
    const storage = fakeSafeStorage();
    await writeFile(file, storage.encryptString(JSON.stringify({ serverUrl: 'x' })));
    expect(await createSessionVault(file, storage).load()).toBeNull();
  });
});

import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logging/index.ts';
import { LOCAL_AVATARS_IMPORTED_MARKER, createLocalAvatarStorage, importLocalAvatarFiles, type AvatarStorage } from './avatar-storage.ts';

const bytes = new TextEncoder().encode('glTF pretend bytes');
const hash = createHash('sha256').update(bytes).digest('hex');

describe('local avatar storage', () => {
  let directory: string;
  let storage: AvatarStorage;
  beforeEach(async () => {
    directory = path.join(await mkdtemp(path.join(tmpdir(), 'mascot-avatars-')), 'avatars');
    storage = createLocalAvatarStorage(directory);
  });
  afterEach(() => rm(path.dirname(directory), { recursive: true, force: true }));

  it('stores a file under its hash, creating the directory, and reads it back', async () => {
    expect(await storage.exists(hash)).toBe(false);
    expect(await storage.get(hash)).toBeNull();
    await storage.put(hash, bytes);
    expect(await storage.exists(hash)).toBe(true);
    const file = await storage.get(hash);
    expect(file!.byteLength).toBe(bytes.byteLength);
    expect(await text(file!.body())).toBe('glTF pretend bytes');
    expect(await readdir(directory)).toEqual([`${hash}.glb`]);
  });

  it('keeps one file when the same content is stored twice, even at once', async () => {
    await Promise.all([storage.put(hash, bytes), storage.put(hash, bytes), storage.put(hash, bytes)]);
    expect(await readdir(directory)).toEqual([`${hash}.glb`]);
  });

  it('refuses keys that are not SHA-256 hashes, so no key can name a path outside the directory', async () => {
    for (const key of ['../../etc/passwd', hash.toUpperCase(), `${hash}.glb`, '']) {
      await expect(storage.get(key)).rejects.toThrow(/content hash/);
      await expect(storage.put(key, bytes)).rejects.toThrow(/content hash/);
    }
  });
});

describe('copying avatars of older versions into shared storage', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'mascot-avatar-import-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('copies each file whose bytes match its name once, skips impostors and other files, and marks the directory done', async () => {
    const old = path.join(root, 'avatars');
    await mkdir(old);
    await writeFile(path.join(old, `${hash}.glb`), bytes);
    const impostor = createHash('sha256').update('other bytes').digest('hex');
    await writeFile(path.join(old, `${impostor}.glb`), bytes);
    await writeFile(path.join(old, 'notes.txt'), 'not an avatar');
    const shared = createLocalAvatarStorage(path.join(root, 'shared'));

    expect(await importLocalAvatarFiles(old, shared, createLogger('silent'))).toBe(1);
    expect(await text((await shared.get(hash))!.body())).toBe('glTF pretend bytes');
    expect(await shared.exists(impostor)).toBe(false);
    expect(await readdir(old)).toContain(LOCAL_AVATARS_IMPORTED_MARKER);
    // The next start finds the marker and reads nothing.
    await rm(path.join(root, 'shared'), { recursive: true });
    expect(await importLocalAvatarFiles(old, shared, createLogger('silent'))).toBe(0);
    expect(await shared.exists(hash)).toBe(false);
  });

  it('does nothing when there never was a local directory', async () => {
    expect(await importLocalAvatarFiles(path.join(root, 'missing'), createLocalAvatarStorage(path.join(root, 'shared')), createLogger('silent'))).toBe(0);
  });
});

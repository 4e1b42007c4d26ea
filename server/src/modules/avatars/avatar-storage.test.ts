import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalAvatarStorage, type AvatarStorage } from './avatar-storage.ts';

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

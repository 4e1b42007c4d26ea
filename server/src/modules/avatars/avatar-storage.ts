import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

/** A stored GLB as the serving route streams it. */
export interface StoredAvatarFile {
  byteLength: number;
  body(): Readable;
}

/**
 * Content-addressed storage for optimised avatar GLBs: the key is the SHA-256 (lowercase hex) of
 * the bytes, so a file never changes once written and identical uploads share one file. A local
 * directory is the default; an object store (S3, GCS) implements the same three methods.
 */
export interface AvatarStorage {
  /** Stores `bytes` under `hash` (the caller computed it); storing an existing hash is a no-op. */
  put(hash: string, bytes: Uint8Array): Promise<void>;
  get(hash: string): Promise<StoredAvatarFile | null>;
  exists(hash: string): Promise<boolean>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isContentHash(value: string): boolean {
  return SHA256_HEX.test(value);
}

function assertHash(hash: string): void {
  // The hash becomes a file name: anything else could walk out of the directory.
  if (!isContentHash(hash)) throw new Error(`not a SHA-256 content hash: ${JSON.stringify(hash).slice(0, 80)}`);
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Files `<directory>/<hash>.glb`. Writes go to a temporary name in the same directory and are
 * renamed into place, so a reader (or another instance sharing the directory) never sees half a file.
 */
export function createLocalAvatarStorage(directory: string): AvatarStorage {
  const fileOf = (hash: string) => path.join(directory, `${hash}.glb`);
  const exists = async (hash: string) => {
    assertHash(hash);
    try {
      return (await stat(fileOf(hash))).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  };
  return {
    exists,
    async put(hash, bytes) {
      if (await exists(hash)) return;
      await mkdir(directory, { recursive: true });
      const temporary = path.join(directory, `.${hash}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await writeFile(temporary, bytes, { flag: 'wx' });
        await rename(temporary, fileOf(hash));
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
    async get(hash) {
      assertHash(hash);
      try {
        const info = await stat(fileOf(hash));
        return { byteLength: info.size, body: () => createReadStream(fileOf(hash)) };
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
  };
}

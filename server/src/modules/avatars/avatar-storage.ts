import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { PUBLIC_SCOPE, sha256Hex, type BlobStore } from '../../core/storage/index.ts';
import type { Logger } from '../../core/logging/index.ts';

/** A stored GLB as the serving route streams it. */
export interface StoredAvatarFile {
  byteLength: number;
  body(): Readable;
}

/**
 * Content-addressed storage for optimised avatar GLBs: the key is the SHA-256 (lowercase hex) of
 * the bytes, so a file never changes once written and identical uploads share one file. The server
 * keeps them in the shared blob store (core/storage: PostgreSQL or S3), which every instance sees; the
 * local directory remains for the avatar test harness and as the source of the one-time import below.
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

/** Avatar GLBs in the shared blob store, public by hash (visitors of any page embedding the bot fetch them). */
export const AVATAR_BLOB_NAMESPACE = 'avatars';

export function createBlobAvatarStorage(store: BlobStore): AvatarStorage {
  return {
    exists: (hash) => {
      assertHash(hash);
      return store.exists(PUBLIC_SCOPE, AVATAR_BLOB_NAMESPACE, hash);
    },
    async put(hash, bytes) {
      assertHash(hash);
      // The store names files by the hash it computes; a caller's hash that disagrees is a bug, not a file.
      const { sha256 } = await store.put(PUBLIC_SCOPE, AVATAR_BLOB_NAMESPACE, bytes);
      if (sha256 !== hash) throw new Error(`avatar bytes hash to ${sha256}, not ${hash}`);
    },
    get: (hash) => {
      assertHash(hash);
      return store.get(PUBLIC_SCOPE, AVATAR_BLOB_NAMESPACE, hash);
    },
  };
}

/** Written into the old directory once its files are in the shared store, so later starts skip the scan. */
export const LOCAL_AVATARS_IMPORTED_MARKER = '.copied-to-shared-storage';

/**
 * Upgrades from versions that kept avatars in `<MASCOT_DATA_DIR>/avatars`: copies every `<hash>.glb`
 * there into the shared store on first start (a file whose bytes do not match its name is skipped and
 * reported), then leaves a marker. The files stay where they were; delete the directory once every
 * instance runs this version. Returns how many files were copied.
 */
export async function importLocalAvatarFiles(directory: string, storage: AvatarStorage, logger: Logger): Promise<number> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if (isMissing(error)) return 0;
    throw error;
  }
  if (names.includes(LOCAL_AVATARS_IMPORTED_MARKER)) return 0;
  let copied = 0;
  for (const name of names) {
    const hash = name.endsWith('.glb') ? name.slice(0, -'.glb'.length) : '';
    if (!isContentHash(hash) || (await storage.exists(hash))) continue;
    const bytes = new Uint8Array(await readFile(path.join(directory, name)));
    if (sha256Hex(bytes) !== hash) {
      logger.warn({ file: name }, 'a local avatar file does not match its name; not copied to shared storage');
      continue;
    }
    await storage.put(hash, bytes);
    copied++;
  }
  try {
    await writeFile(path.join(directory, LOCAL_AVATARS_IMPORTED_MARKER), `${new Date().toISOString()}\n`);
  } catch (error) {
    // A read-only data directory: the scan repeats on the next start, finding everything copied.
    logger.debug({ err: error }, 'could not mark the local avatar directory as imported');
  }
  if (copied > 0) logger.info({ copied, directory }, 'copied local avatar files to shared storage');
  return copied;
}

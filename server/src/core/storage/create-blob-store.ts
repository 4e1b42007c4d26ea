import type { StorageConfig } from '../config/index.ts';
import type { MikroORM } from '../db/index.ts';
import type { BlobStore } from './blob-store.ts';
import { createPostgresBlobStore } from './postgres-blob-store.ts';
import { createS3BlobStore } from './s3-blob-store.ts';

/** The store MASCOT_STORAGE names: the server's own database by default, or an S3-compatible bucket. */
export function createBlobStore(config: StorageConfig, orm: Pick<MikroORM, 'em'>): BlobStore {
  return config.kind === 's3' ? createS3BlobStore(config) : createPostgresBlobStore(orm);
}

export {
  PUBLIC_SCOPE,
  assertBlobKey,
  assertTenantId,
  isSha256Hex,
  sha256Hex,
  tenantScope,
  type BlobScope,
  type BlobStore,
  type StoredBlob,
} from './blob-store.ts';
export { createBlobStore } from './create-blob-store.ts';
export { POSTGRES_CHUNK_BYTES, createPostgresBlobStore } from './postgres-blob-store.ts';
export { createS3BlobStore, type S3StorageConfig } from './s3-blob-store.ts';

import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import type * as S3 from '@aws-sdk/client-s3';
import type { StorageConfig } from '../config/index.ts';
import { assertBlobKey, assertTenantId, sha256Hex, type BlobScope, type BlobStore, type StoredBlob } from './blob-store.ts';

export type S3StorageConfig = Extract<StorageConfig, { kind: 's3' }>;

const isNotFound = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
};

/**
 * Blobs in an S3-compatible bucket under `<prefix>public/<namespace>/<sha256>` and
 * `<prefix>tenants/<tenantId>/<namespace>/<sha256>`: a tenant's files are only ever looked up under
 * its own prefix. Objects are immutable (the key is the hash of the bytes), so a put that finds the
 * key skips the upload, and two instances racing write the same bytes.
 */
export function createS3BlobStore(config: S3StorageConfig): BlobStore {
  // Loaded here, not at the top: the SDK takes a few hundred milliseconds to load, which a server on the
  // default PostgreSQL store never pays (synchronously, so the factory stays synchronous).
  const { DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } = createRequire(import.meta.url)(
    '@aws-sdk/client-s3',
  ) as typeof S3;
  const client = new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    forcePathStyle: config.forcePathStyle,
    // Flexible checksums (aws-chunked bodies) are not spoken by every S3-compatible store; the
    // content hash already names what was written, and TLS guards the transfer.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const keyOf = (scope: BlobScope, namespace: string, sha256: string) =>
    scope.kind === 'tenant'
      ? `${config.prefix}tenants/${scope.tenantId}/${namespace}/${sha256}`
      : `${config.prefix}public/${namespace}/${sha256}`;

  const head = async (key: string): Promise<number | null> => {
    try {
      const found = await client.send(new HeadObjectCommand({ Bucket: config.bucket, Key: key }));
      return found.ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw new Error(`object storage could not be reached (HEAD ${config.bucket})`, { cause: error });
    }
  };

  return {
    kind: 's3',
    async put(scope, namespace, bytes) {
      assertBlobKey(scope, namespace);
      const sha256 = sha256Hex(bytes);
      const key = keyOf(scope, namespace, sha256);
      if ((await head(key)) !== null) return { sha256, created: false };
      await client.send(
        new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: bytes, ContentLength: bytes.byteLength, ContentType: 'application/octet-stream' }),
      );
      return { sha256, created: true };
    },
    async get(scope, namespace, sha256): Promise<StoredBlob | null> {
      assertBlobKey(scope, namespace, sha256);
      const key = keyOf(scope, namespace, sha256);
      const byteLength = await head(key);
      if (byteLength === null) return null;
      return {
        byteLength,
        // Each call streams the object anew, straight from the store (never buffered whole here).
        body: () =>
          Readable.from(
            (async function* () {
              const object = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: key }));
              yield* object.Body as Readable;
            })(),
            { objectMode: false },
          ),
      };
    },
    async exists(scope, namespace, sha256) {
      assertBlobKey(scope, namespace, sha256);
      return (await head(keyOf(scope, namespace, sha256))) !== null;
    },
    async delete(scope, namespace, sha256) {
      assertBlobKey(scope, namespace, sha256);
      await client.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: keyOf(scope, namespace, sha256) }));
    },
    async deleteTenant(tenantId) {
      assertTenantId(tenantId);
      const prefix = `${config.prefix}tenants/${tenantId}/`;
      let deleted = 0;
      // Listed from the start each round: the page just deleted is gone, so no continuation token is needed.
      for (;;) {
        const page = await client.send(new ListObjectsV2Command({ Bucket: config.bucket, Prefix: prefix, MaxKeys: 1000 }));
        const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
        if (keys.length === 0) return deleted;
        const result = await client.send(new DeleteObjectsCommand({ Bucket: config.bucket, Delete: { Objects: keys, Quiet: true } }));
        if (result.Errors?.length) {
          throw new Error(`object storage refused to delete ${result.Errors.length} of the tenant's objects (${result.Errors[0]!.Code ?? 'unknown'})`);
        }
        deleted += keys.length;
      }
    },
    async close() {
      client.destroy();
    },
  };
}

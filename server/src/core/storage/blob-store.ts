import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { isUuid } from '../errors/index.ts';

/**
 * Who may read a blob. `public`: anyone who knows the hash (avatar GLBs that published bots pin and
 * anonymous visitors fetch). `tenant`: that tenant only (row-level security in PostgreSQL, a key
 * prefix in S3) — a tenant's files are never looked up by hash alone.
 */
export type BlobScope = { kind: 'public' } | { kind: 'tenant'; tenantId: string };

export const PUBLIC_SCOPE: BlobScope = { kind: 'public' };
export const tenantScope = (tenantId: string): BlobScope => ({ kind: 'tenant', tenantId });

/** A stored file: its size, and its bytes as a fresh stream on every call (read lazily, chunk by chunk). */
export interface StoredBlob {
  byteLength: number;
  body(): Readable;
}

/**
 * Files every server instance sees, content-addressed: the key is the SHA-256 (lowercase hex) of the
 * bytes, computed here, so a stored file never changes and identical bytes are stored once per scope
 * and namespace. Namespaces keep kinds of files apart (`avatars`, `knowledge-uploads`).
 */
export interface BlobStore {
  readonly kind: 'postgres' | 's3';
  /** Stores the bytes (a no-op when the same bytes are stored already) and returns their hash. */
  put(scope: BlobScope, namespace: string, bytes: Uint8Array): Promise<{ sha256: string; created: boolean }>;
  get(scope: BlobScope, namespace: string, sha256: string): Promise<StoredBlob | null>;
  exists(scope: BlobScope, namespace: string, sha256: string): Promise<boolean>;
  /** Removes the file; removing one that is not there is a no-op. */
  delete(scope: BlobScope, namespace: string, sha256: string): Promise<void>;
  /**
   * Removes every file of the tenant, in every namespace, and returns how many there were: deleting a tenant
   * calls it, since S3 has no foreign keys (in PostgreSQL the tenant's rows also go with the tenant row).
   */
  deleteTenant(tenantId: string): Promise<number>;
  close(): Promise<void>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const NAMESPACE = /^[a-z][a-z0-9-]{0,39}$/;

export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Hashes, namespaces and tenant ids become S3 keys and SQL values: anything malformed is a bug in the
 * caller (routes check hashes before asking), so it throws instead of answering "not found".
 */
export function assertBlobKey(scope: BlobScope, namespace: string, sha256?: string): void {
  if (!NAMESPACE.test(namespace)) throw new Error(`not a blob namespace: ${JSON.stringify(namespace).slice(0, 60)}`);
  if (sha256 !== undefined && !SHA256_HEX.test(sha256)) throw new Error(`not a SHA-256 content hash: ${JSON.stringify(sha256).slice(0, 80)}`);
  if (scope.kind === 'tenant') assertTenantId(scope.tenantId);
}

/** A tenant id becomes part of S3 keys and SQL values: anything but a UUID is a caller's bug. */
export function assertTenantId(tenantId: string): void {
  if (!isUuid(tenantId)) throw new Error('not a tenant id');
}

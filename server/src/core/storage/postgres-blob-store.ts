import { Readable } from 'node:stream';
import type { QueryResult } from '@mikro-orm/core';
import { inTenant, type EntityManager, type MikroORM } from '../db/index.ts';
import { assertBlobKey, assertTenantId, sha256Hex, type BlobScope, type BlobStore, type StoredBlob } from './blob-store.ts';

/** Bytes per `bytea` row: a reader holds one chunk at a time, and no row nears the 1 GB field limit. */
export const POSTGRES_CHUNK_BYTES = 1024 * 1024;

interface Tables {
  blob: string;
  chunk: string;
  /** The key columns after the tenant's, as SQL, and their values. */
  where: string;
}

const PUBLIC_TABLES: Tables = { blob: 'blob', chunk: 'blob_chunk', where: 'namespace = ? and sha256 = ?' };
const TENANT_TABLES: Tables = { blob: 'tenant_blob', chunk: 'tenant_blob_chunk', where: 'tenant_id = ? and namespace = ? and sha256 = ?' };

/**
 * Blobs in PostgreSQL (migration SharedBlobs): one row per file and 1 MiB `bytea` chunk rows.
 * Tenant blobs are read and written inside `inTenant`, so row-level security applies as for every
 * tenant table; public blobs need no tenant. Each call is its own short transaction (PgBouncer's
 * transaction mode is fine), and a put is one transaction: a file is there whole or not at all.
 */
export function createPostgresBlobStore(orm: Pick<MikroORM, 'em'>): BlobStore {
  const run = <T>(scope: BlobScope, work: (tx: EntityManager) => Promise<T>): Promise<T> =>
    scope.kind === 'tenant' ? inTenant(orm.em.fork(), scope.tenantId, work) : orm.em.fork().transactional(work);
  const tablesOf = (scope: BlobScope) => (scope.kind === 'tenant' ? TENANT_TABLES : PUBLIC_TABLES);
  const keyOf = (scope: BlobScope, namespace: string, sha256: string) =>
    scope.kind === 'tenant' ? [scope.tenantId, namespace, sha256] : [namespace, sha256];

  const head = (scope: BlobScope, namespace: string, sha256: string) =>
    run(scope, async (tx) => {
      const [row] = await tx.execute<{ byte_size: string; chunk_count: number }[]>(
        `select byte_size, chunk_count from ${tablesOf(scope).blob} where ${tablesOf(scope).where}`,
        keyOf(scope, namespace, sha256),
      );
      return row ? { byteLength: Number(row.byte_size), chunks: row.chunk_count } : null;
    });

  return {
    kind: 'postgres',
    async put(scope, namespace, bytes) {
      assertBlobKey(scope, namespace);
      const sha256 = sha256Hex(bytes);
      const tables = tablesOf(scope);
      const key = keyOf(scope, namespace, sha256);
      const chunks = Math.ceil(bytes.byteLength / POSTGRES_CHUNK_BYTES);
      const created = await run(scope, async (tx) => {
        // A concurrent put of the same bytes waits on the key here and then finds it taken: stored once.
        const inserted = await tx.execute<QueryResult>(
          `insert into ${tables.blob} (${scope.kind === 'tenant' ? 'tenant_id, ' : ''}namespace, sha256, byte_size, chunk_count)
           values (${key.map(() => '?').join(', ')}, ?, ?) on conflict do nothing`,
          [...key, bytes.byteLength, chunks],
          'run',
        );
        if (inserted.affectedRows === 0) return false;
        for (let seq = 0; seq < chunks; seq++) {
          const start = seq * POSTGRES_CHUNK_BYTES;
          const data = Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.min(POSTGRES_CHUNK_BYTES, bytes.byteLength - start));
          await tx.execute(
            `insert into ${tables.chunk} (${scope.kind === 'tenant' ? 'tenant_id, ' : ''}namespace, sha256, seq, data) values (${key.map(() => '?').join(', ')}, ?, ?)`,
            [...key, seq, data],
            'run',
          );
        }
        return true;
      });
      return { sha256, created };
    },
    async get(scope, namespace, sha256): Promise<StoredBlob | null> {
      assertBlobKey(scope, namespace, sha256);
      const found = await head(scope, namespace, sha256);
      if (!found) return null;
      const tables = tablesOf(scope);
      const key = keyOf(scope, namespace, sha256);
      return {
        byteLength: found.byteLength,
        body: () =>
          // One chunk in memory at a time, fetched when the consumer wants more (backpressure).
          Readable.from(
            (async function* () {
              for (let seq = 0; seq < found.chunks; seq++) {
                const [row] = await run(scope, (tx) =>
                  tx.execute<{ data: Buffer }[]>(`select data from ${tables.chunk} where ${tables.where} and seq = ?`, [...key, seq]),
                );
                if (!row) throw new Error(`blob ${namespace}/${sha256} lost chunk ${seq} while being read`);
                yield row.data;
              }
            })(),
            { objectMode: false },
          ),
      };
    },
    async exists(scope, namespace, sha256) {
      assertBlobKey(scope, namespace, sha256);
      return (await head(scope, namespace, sha256)) !== null;
    },
    async delete(scope, namespace, sha256) {
      assertBlobKey(scope, namespace, sha256);
      // Chunks go with the row (on delete cascade).
      await run(scope, (tx) => tx.execute(`delete from ${tablesOf(scope).blob} where ${tablesOf(scope).where}`, keyOf(scope, namespace, sha256), 'run'));
    },
    async deleteTenant(tenantId) {
      assertTenantId(tenantId);
      const result = await run({ kind: 'tenant', tenantId }, (tx) => tx.execute<QueryResult>('delete from tenant_blob where tenant_id = ?', [tenantId], 'run'));
      return result.affectedRows;
    },
    async close() {
      // The ORM's pool is the server's; it closes it.
    },
  };
}

import { randomBytes, randomUUID } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTenant } from '../db/index.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { startS3Server, type TestS3Server } from '../../test/s3-server.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';
import { PUBLIC_SCOPE, sha256Hex, tenantScope, type BlobStore } from './blob-store.ts';
import { POSTGRES_CHUNK_BYTES, createPostgresBlobStore } from './postgres-blob-store.ts';
import { createS3BlobStore } from './s3-blob-store.ts';

let server: TestServer;
let s3: TestS3Server;
const tenantA = randomUUID();
const tenantB = randomUUID();

beforeAll(async () => {
  [server, s3] = await Promise.all([startTestServer(), startS3Server()]);
  for (const id of [tenantA, tenantB]) await ownerQuery(server.databaseUrl, `insert into tenant (id, name) values ($1, 'Blob tenant')`, [id]);
});
afterAll(async () => {
  await server?.stop();
  await s3?.stop();
});

const stores: [string, () => BlobStore][] = [
  ['PostgreSQL', () => createPostgresBlobStore(server.orm)],
  ['S3 (s3rver)', () => createS3BlobStore(s3.config)],
];

describe.each(stores)('the %s blob store', { timeout: 60_000 }, (_name, makeStore) => {
  let store: BlobStore;
  beforeAll(() => {
    store = makeStore();
  });
  afterAll(() => store?.close());

  it('keeps a file bigger than one chunk under the SHA-256 of its bytes and streams it back whole', async () => {
    const bytes = randomBytes(2 * POSTGRES_CHUNK_BYTES + 12_345);
    const { sha256, created } = await store.put(PUBLIC_SCOPE, 'test-files', bytes);
    expect({ sha256, created }).toEqual({ sha256: sha256Hex(bytes), created: true });
    const stored = await store.get(PUBLIC_SCOPE, 'test-files', sha256);
    expect(stored!.byteLength).toBe(bytes.byteLength);
    // Read twice: every body() is a fresh stream.
    expect((await buffer(stored!.body())).equals(bytes)).toBe(true);
    expect((await buffer(stored!.body())).equals(bytes)).toBe(true);
    expect(await store.get(PUBLIC_SCOPE, 'other-files', sha256)).toBeNull();
  });

  it('stores the same bytes once, even when several instances put them at the same moment', async () => {
    const bytes = randomBytes(50_000);
    const results = await Promise.all([1, 2, 3].map(() => store.put(PUBLIC_SCOPE, 'test-files', bytes)));
    expect(new Set(results.map((r) => r.sha256)).size).toBe(1);
    if (store.kind === 'postgres') {
      // S3 may see more than one PUT of the same immutable key (last writer wins with equal bytes); PostgreSQL holds one row.
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const rows = await ownerQuery<{ n: number; chunks: number }>(
        server.databaseUrl,
        `select count(*)::int as n, (select count(*)::int from blob_chunk where sha256 = $1) as chunks from blob where sha256 = $1`,
        [results[0]!.sha256],
      );
      expect(rows[0]).toEqual({ n: 1, chunks: 1 });
    }
    expect((await store.put(PUBLIC_SCOPE, 'test-files', bytes)).created).toBe(false);
  });

  it("keeps a tenant's files to that tenant: another tenant and the public scope see nothing, and cannot delete them", async () => {
    const bytes = randomBytes(10_000);
    const { sha256 } = await store.put(tenantScope(tenantA), 'knowledge-uploads', bytes);
    expect(await store.exists(tenantScope(tenantA), 'knowledge-uploads', sha256)).toBe(true);
    expect(await store.exists(tenantScope(tenantB), 'knowledge-uploads', sha256)).toBe(false);
    expect(await store.get(tenantScope(tenantB), 'knowledge-uploads', sha256)).toBeNull();
    expect(await store.get(PUBLIC_SCOPE, 'knowledge-uploads', sha256)).toBeNull();
    await store.delete(tenantScope(tenantB), 'knowledge-uploads', sha256);
    expect((await buffer((await store.get(tenantScope(tenantA), 'knowledge-uploads', sha256))!.body())).equals(bytes)).toBe(true);
    // The same bytes uploaded by B are B's own copy: deleting A's leaves B's.
    await store.put(tenantScope(tenantB), 'knowledge-uploads', bytes);
    await store.delete(tenantScope(tenantA), 'knowledge-uploads', sha256);
    expect(await store.exists(tenantScope(tenantA), 'knowledge-uploads', sha256)).toBe(false);
    expect(await store.exists(tenantScope(tenantB), 'knowledge-uploads', sha256)).toBe(true);
  });

  it("deletes every file of a deleted tenant, in every namespace, and nothing of anyone else's", async () => {
    const leaving = randomUUID();
    await ownerQuery(server.databaseUrl, `insert into tenant (id, name) values ($1, 'Leaving tenant')`, [leaving]);
    const files = [randomBytes(1_000), randomBytes(2_000), randomBytes(3_000)];
    const kept = randomBytes(4_000);
    const [first, second, third] = await Promise.all([
      store.put(tenantScope(leaving), 'knowledge-uploads', files[0]!),
      store.put(tenantScope(leaving), 'knowledge-uploads', files[1]!),
      store.put(tenantScope(leaving), 'exports', files[2]!),
    ]);
    // The same bytes kept by another tenant and in the public scope stay.
    await Promise.all([store.put(tenantScope(tenantB), 'knowledge-uploads', files[0]!), store.put(PUBLIC_SCOPE, 'knowledge-uploads', kept)]);

    expect(await store.deleteTenant(leaving)).toBe(3);
    for (const [namespace, { sha256 }] of [['knowledge-uploads', first!], ['knowledge-uploads', second!], ['exports', third!]] as const) {
      expect(await store.exists(tenantScope(leaving), namespace, sha256)).toBe(false);
    }
    expect(await store.exists(tenantScope(tenantB), 'knowledge-uploads', first!.sha256)).toBe(true);
    expect(await store.exists(PUBLIC_SCOPE, 'knowledge-uploads', sha256Hex(kept))).toBe(true);
    expect(await store.deleteTenant(leaving)).toBe(0);
    await expect(store.deleteTenant('../public')).rejects.toThrow(/tenant id/);
  });

  it('refuses malformed hashes, namespaces and tenant ids instead of turning them into keys', async () => {
    await expect(store.get(PUBLIC_SCOPE, 'test-files', '../../etc/passwd')).rejects.toThrow(/content hash/);
    await expect(store.put(PUBLIC_SCOPE, '../avatars', new Uint8Array(1))).rejects.toThrow(/namespace/);
    await expect(store.put(tenantScope('../../public'), 'test-files', new Uint8Array(1))).rejects.toThrow(/tenant id/);
  });
});

describe('tenant blobs in PostgreSQL', () => {
  it('are under row-level security: SQL run for another tenant reads and deletes none of their rows', async () => {
    const store = createPostgresBlobStore(server.orm);
    const { sha256 } = await store.put(tenantScope(tenantA), 'knowledge-uploads', randomBytes(3_000));
    const asB = await inTenant(server.orm.em.fork(), tenantB, async (tx) => ({
      blobs: await tx.execute(`select * from tenant_blob where sha256 = ?`, [sha256]),
      chunks: await tx.execute(`select * from tenant_blob_chunk where sha256 = ?`, [sha256]),
      deleted: await tx.execute(`delete from tenant_blob_chunk where sha256 = ?`, [sha256], 'run'),
    }));
    expect(asB).toMatchObject({ blobs: [], chunks: [], deleted: { affectedRows: 0 } });
    const [owner] = await ownerQuery<{ n: number }>(server.databaseUrl, 'select count(*)::int as n from tenant_blob_chunk where sha256 = $1', [sha256]);
    expect(owner!.n).toBe(1);
  });
});

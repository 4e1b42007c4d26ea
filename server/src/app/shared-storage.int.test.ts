import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { BUILTIN_AVATARS } from '@mascot/avatar-assets';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PUBLIC_SCOPE, createS3BlobStore, tenantScope } from '../core/storage/index.ts';
import { AVATAR_BLOB_NAMESPACE } from '../modules/avatars/index.ts';
import { KNOWLEDGE_UPLOAD_NAMESPACE } from '../modules/knowledge/index.ts';
import { publishedBot, type TenantFixture } from '../test/fixtures.ts';
import { graphqlOk } from '../test/graphql-test-client.ts';
import { ownerQuery } from '../test/owner-database.ts';
import { startS3Server, type TestS3Server } from '../test/s3-server.ts';
import { clusterServicesAvailable, startTestCluster, type TestCluster } from '../test/test-cluster.ts';

const CREATE_AVATAR_UPLOAD = /* GraphQL */ `mutation($input: CreateAvatarUploadInput!) { createAvatarUpload(input: $input) { uploadUrl } }`;
const CREATE_KNOWLEDGE_UPLOAD = /* GraphQL */ `
  mutation($botId: ID!, $input: KnowledgeUploadInput!) { createKnowledgeUpload(botId: $botId, input: $input) { uploadUrl job { id } } }`;
const INGESTION_JOB = /* GraphQL */ `query($id: ID!) { ingestionJob(id: $id) { status errorCode } }`;
const SEARCH = /* GraphQL */ `query($botId: ID!, $query: String!) { searchKnowledge(botId: $botId, query: $query) { documentTitle text } }`;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** How each store is chosen, and how the test looks into it from outside the servers. */
interface StoreUnderTest {
  env(): Record<string, string>;
  holds(cluster: TestCluster, scope: 'public' | { tenantId: string }, namespace: string, hash: string): Promise<boolean>;
}

let s3: TestS3Server;
const stores: [string, StoreUnderTest][] = [
  [
    'PostgreSQL',
    {
      env: () => ({}),
      async holds(cluster, scope, namespace, hash) {
        const sql = scope === 'public'
          ? ['select count(*)::int as n from blob where namespace = $1 and sha256 = $2', [namespace, hash]] as const
          : ['select count(*)::int as n from tenant_blob where tenant_id = $1 and namespace = $2 and sha256 = $3', [scope.tenantId, namespace, hash]] as const;
        return (await ownerQuery<{ n: number }>(cluster.instances[0].databaseUrl, sql[0], [...sql[1]]))[0]!.n === 1;
      },
    },
  ],
  [
    'S3 (s3rver)',
    {
      env: () => s3.env,
      async holds(_cluster, scope, namespace, hash) {
        const store = createS3BlobStore(s3.config);
        try {
          return await store.exists(scope === 'public' ? PUBLIC_SCOPE : tenantScope(scope.tenantId), namespace, hash);
        } finally {
          await store.close();
        }
      },
    },
  ],
];

// Two instances share state only through a real PostgreSQL and NATS (embedded PGlite hosts one instance); CI sets both.
describe.skipIf(!clusterServicesAvailable).each(stores)('two instances on the %s store', { timeout: 180_000 }, (_name, store) => {
  let cluster: TestCluster;
  let tenant: TenantFixture;

  beforeAll(async () => {
    s3 ??= await startS3Server();
    cluster = await startTestCluster(store.env());
    tenant = await publishedBot(cluster.instances[0].graphqlUrl);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('serve an avatar uploaded through one instance from the other, through the same signed URLs as before', async () => {
    const [first, second] = cluster.instances;
    const bytes = new Uint8Array(await readFile(BUILTIN_AVATARS.find((avatar) => avatar.id === 'milo')!.file));
    const { createAvatarUpload } = await graphqlOk(first.graphqlUrl, CREATE_AVATAR_UPLOAD, { input: { fileName: 'Milo.glb', byteSize: bytes.byteLength } }, tenant.accessToken);
    // The URL instance 1 signed is taken by instance 2: only the origin changes, as behind a load balancer.
    const uploadUrl = new URL(createAvatarUpload.uploadUrl);
    const onSecond = `${second.url}${uploadUrl.pathname}${uploadUrl.search}`;
    const put = await fetch(onSecond, { method: 'PUT', headers: { 'content-type': 'model/gltf-binary' }, body: bytes });
    expect(put.status).toBe(201);
    const { avatar } = (await put.json()) as { avatar: { contentHash: string; url: string } };
    expect(new URL(avatar.url).pathname).toBe(`/assets/avatars/${avatar.contentHash}.glb`);
    expect(await store.holds(cluster, 'public', AVATAR_BLOB_NAMESPACE, avatar.contentHash)).toBe(true);

    for (const instance of [first, second]) {
      const served = await fetch(`${instance.url}/assets/avatars/${avatar.contentHash}.glb`, { headers: { 'accept-encoding': 'identity' } });
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe('model/gltf-binary');
      expect(sha256(new Uint8Array(await served.arrayBuffer()))).toBe(avatar.contentHash);
    }
  });

  it('ingest a knowledge file uploaded through one instance from the store, whichever instance runs the job, then remove the file', async () => {
    const [first, second] = cluster.instances;
    const text = new TextEncoder().encode('# Parking\n\nVisitors park for free in the blue garage on Elm Street.\n');
    const { createKnowledgeUpload: upload } = await graphqlOk(
      first.graphqlUrl, CREATE_KNOWLEDGE_UPLOAD, { botId: tenant.botId, input: { fileName: 'parking.md', byteSize: text.byteLength } }, tenant.accessToken,
    );
    const onSecond = new URL(upload.uploadUrl);
    const put = await fetch(`${second.url}${onSecond.pathname}${onSecond.search}`, { method: 'PUT', body: text });
    expect(put.status).toBe(202);
    await vi.waitFor(async () => {
      const { ingestionJob } = await graphqlOk(first.graphqlUrl, INGESTION_JOB, { id: upload.job.id }, tenant.accessToken);
      expect(ingestionJob).toEqual({ status: 'SUCCEEDED', errorCode: null });
    }, { timeout: 60_000, interval: 200 });
    const { searchKnowledge } = await graphqlOk(second.graphqlUrl, SEARCH, { botId: tenant.botId, query: 'where do visitors park' }, tenant.accessToken);
    expect(searchKnowledge[0].text).toContain('blue garage');
    // The upload is not kept once processed.
    expect(await store.holds(cluster, { tenantId: tenant.tenantId }, KNOWLEDGE_UPLOAD_NAMESPACE, sha256(text))).toBe(false);
  });
});

afterAll(async () => {
  await s3?.stop();
});

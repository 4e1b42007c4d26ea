import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedBot, type TenantFixture } from '../../test/fixtures.ts';
import { graphqlOk } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

// A knowledge upload while NATS is down (issue 15, finding 7): the file is stored and the upload answers 202,
// the job is handed to the queue once NATS is back and then processed; the URL stays single use. The server
// runs against a private nats-server (JetStream on disk), killed and restarted on the same port.

const CREATE_UPLOAD = /* GraphQL */ `
  mutation($botId: ID!, $input: KnowledgeUploadInput!) {
    createKnowledgeUpload(botId: $botId, input: $input) { uploadUrl job { id status } }
  }`;

function natsServerBinary(): string | undefined {
  try {
    return execFileSync('which', ['nats-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const binary = natsServerBinary();

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe.skipIf(!binary)('a knowledge upload during a NATS outage', () => {
  let nats: ChildProcess | undefined;
  let port: number;
  let storeDir: string;
  let server: TestServer;
  let bot: TenantFixture;

  async function startNats(): Promise<void> {
    const child = spawn(binary!, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    nats = child;
    // nats-server logs to stderr; it is ready once it listens for clients.
    await new Promise<void>((resolve, reject) => {
      let log = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('Server is ready')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`nats-server exited with ${code}: ${log}`)));
    });
  }

  async function stopNats(): Promise<void> {
    const child = nats;
    nats = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  beforeAll(async () => {
    port = await freePort();
    storeDir = await mkdtemp(path.join(tmpdir(), 'mascot-nats-outage-'));
    await startNats();
    server = await startTestServer({ NATS_URL: `nats://127.0.0.1:${port}` });
    bot = await publishedBot(server.graphqlUrl);
  });
  afterAll(async () => {
    await stopNats();
    await startNats().catch(() => undefined); // lets the server close its NATS connections cleanly
    await server?.stop();
    await stopNats();
    await rm(storeDir, { recursive: true, force: true });
  });

  it('stores the file and answers 202, then processes the job once NATS is back; the URL stays single use', async () => {
    const bytes = new TextEncoder().encode('# Outage\n\nUploads made while the bus is down are processed once it is back.\n');
    const { createKnowledgeUpload } = await graphqlOk(server.graphqlUrl, CREATE_UPLOAD, { botId: bot.botId, input: { fileName: 'outage.md', byteSize: bytes.byteLength } }, bot.accessToken);
    const jobId = createKnowledgeUpload.job.id as string;

    await stopNats();
    const response = await fetch(createKnowledgeUpload.uploadUrl, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ job: { jobId, status: 'queued' } });
    const [stored] = await ownerQuery<{ status: string; bytes: number }>(
      server.databaseUrl,
      // The file waits in the shared blob store (core/storage), under the job's tenant and content hash.
      `select j.status, b.byte_size::int as bytes from ingestion_job j
         join tenant_blob b on b.tenant_id = j.tenant_id and b.namespace = 'knowledge-uploads' and b.sha256 = j.content_hash
        where j.id = $1`,
      [jobId],
    );
    expect(stored).toEqual({ status: 'queued', bytes: bytes.byteLength });

    // The URL was used by the upload that succeeded: a second PUT is refused, with a code.
    const again = await fetch(createKnowledgeUpload.uploadUrl, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'CONFLICT' } });

    await startNats();
    const status = async () => (await ownerQuery<{ status: string }>(server.databaseUrl, 'select status from ingestion_job where id = $1', [jobId]))[0]!.status;
    await expect.poll(status, { timeout: 90_000, interval: 250 }).toBe('succeeded');
    const [{ documents }] = (await ownerQuery<{ documents: number }>(
      server.databaseUrl,
      'select count(*)::int as documents from knowledge_document where id = (select document_id from ingestion_job where id = $1)',
      [jobId],
    )) as [{ documents: number }];
    expect(documents).toBe(1);
  }, 150_000);
});

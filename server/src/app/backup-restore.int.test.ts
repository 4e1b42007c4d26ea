import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BUILTIN_AVATARS } from '@mascot/avatar-assets';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsOf, startVisitorSession, subscribeToEvents, type VisitorSession } from '../test/conversation-stream.ts';
import { publishedBot, signUpAccount, type Account, type TenantFixture } from '../test/fixtures.ts';
import { graphqlOk } from '../test/graphql-test-client.ts';
import { LOG_IN, SEND_MESSAGE } from '../test/operations.ts';
import { ownerQuery } from '../test/owner-database.ts';
import { spawnServerProcess, type ServerProcess } from '../test/server-process.ts';
import { createTestDatabase, type TestDatabase } from '../test/test-database.ts';
import { TEST_JWT_SECRET } from '../test/test-server.ts';

/*
 * Issue 20: the documented backup and restore (scripts/backup.sh, scripts/restore.sh; deploy/README.md) run for
 * real. A server fills a database with two tenants (bots, knowledge with its embeddings, a conversation, an
 * uploaded avatar in the PostgreSQL blob store); the backup is taken while it serves; the restore goes into a
 * fresh, empty database; a new server started on it serves the restored bot, the old conversation and the
 * avatar, and row-level security still holds there: the same policies, and the app role sees one tenant's rows
 * only when that tenant's context is set.
 */

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '../../..');
const { DATABASE_URL } = process.env;
const CREATE_AVATAR_UPLOAD = /* GraphQL */ `mutation($input: CreateAvatarUploadInput!) { createAvatarUpload(input: $input) { uploadUrl } }`;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** What a row-level-security audit compares: every policy, and which tables enable and force RLS. */
async function securityOf(databaseUrl: string) {
  const policies = await ownerQuery<{ tablename: string; policyname: string; roles: string; qual: string }>(
    databaseUrl,
    `select tablename, policyname, roles::text, qual from pg_policies where schemaname = 'public' order by tablename, policyname`,
  );
  const tables = await ownerQuery<{ relname: string; forced: boolean }>(
    databaseUrl,
    `select relname, relforcerowsecurity as forced from pg_class where relrowsecurity and relnamespace = 'public'::regnamespace order by relname`,
  );
  return { policies, tables };
}

/** The bots the app role sees, in one transaction with `tenantId` as the tenant context (or none). */
async function botsSeenByAppRole(databaseUrl: string, tenantId: string | null): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('set local role mascot_app');
    if (tenantId) await client.query(`select set_config('mascot.tenant_id', $1, true)`, [tenantId]);
    const { rows } = await client.query<{ id: string }>('select id from bot order by id');
    await client.query('rollback');
    return rows.map((row) => row.id);
  } finally {
    await client.end();
  }
}

describe.skipIf(!DATABASE_URL)('a backup restored into a fresh database', { timeout: 180_000 }, () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let workDir: string;
  let restored: ServerProcess;
  let member: Account;
  let first: TenantFixture;
  let second: TenantFixture;
  let earlier: VisitorSession;
  let earlierReply: string;
  let avatarHash: string;

  const serverEnv = (databaseUrl: string, dataDir: string) => ({
    DATABASE_URL: databaseUrl,
    MASCOT_DATA_DIR: dataDir,
    MASCOT_JWT_SECRET: TEST_JWT_SECRET,
    MASCOT_OFFLINE_TOKEN_DELAY_MS: '0',
  });

  beforeAll(async () => {
    source = await createTestDatabase(DATABASE_URL);
    target = await createTestDatabase(DATABASE_URL, { migrated: false });
    workDir = await mkdtemp(path.join(tmpdir(), 'mascot-backup-'));

    const original = await spawnServerProcess(serverEnv(source.url!, path.join(workDir, 'original')));
    try {
      member = await signUpAccount(original.graphqlUrl, 'Restored Inc');
      first = await publishedBot(original.graphqlUrl);
      second = await publishedBot(original.graphqlUrl, '# Plans\n## Pricing\nThe Max plan costs 99 dollars per month.');

      earlier = await startVisitorSession(original.graphqlUrl, first.embedId);
      const { client, recorder } = await subscribeToEvents(original.websocketUrl, earlier, null);
      await graphqlOk(original.graphqlUrl, SEND_MESSAGE, { conversationId: earlier.conversationId, text: 'How much does the Pro plan cost?' }, earlier.visitorToken);
      earlierReply = (await recorder.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted')).conversationEvents.message!.text;
      await client.dispose();

      const bytes = new Uint8Array(await readFile(BUILTIN_AVATARS.find((avatar) => avatar.id === 'milo')!.file));
      const { createAvatarUpload } = await graphqlOk(original.graphqlUrl, CREATE_AVATAR_UPLOAD, { input: { fileName: 'Milo.glb', byteSize: bytes.byteLength } }, first.accessToken);
      const put = await fetch(createAvatarUpload.uploadUrl, { method: 'PUT', headers: { 'content-type': 'model/gltf-binary' }, body: bytes });
      expect(put.status).toBe(201);
      avatarHash = sha256(bytes);

      // Taken while the server runs: pg_dump reads one consistent snapshot.
      await run('bash', [path.join(REPO, 'scripts/backup.sh'), path.join(workDir, 'backup')], { env: { ...process.env, DATABASE_URL: source.url! } });
    } finally {
      await original.kill();
    }
    await run('bash', [path.join(REPO, 'scripts/restore.sh'), path.join(workDir, 'backup'), target.url!]);
    restored = await spawnServerProcess(serverEnv(target.url!, path.join(workDir, 'restored')));
  });

  afterAll(async () => {
    await restored?.kill();
    await Promise.all([source?.drop(), target?.drop()]);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('writes a custom-format dump and a manifest', async () => {
    expect((await readdir(path.join(workDir, 'backup'))).sort()).toEqual(['database.dump', 'manifest.txt']);
    // pg_dump's custom format starts with this signature (what pg_restore reads).
    expect((await readFile(path.join(workDir, 'backup/database.dump'))).subarray(0, 5).toString()).toBe('PGDMP');
    expect(await readFile(path.join(workDir, 'backup/manifest.txt'), 'utf8')).toMatch(/latest_migration=Migration\d+/);
  });

  it('serves the restored bot from its restored knowledge, and members sign in', async () => {
    const session = await startVisitorSession(restored.graphqlUrl, first.embedId);
    const { client, recorder } = await subscribeToEvents(restored.websocketUrl, session, null);
    await graphqlOk(restored.graphqlUrl, SEND_MESSAGE, { conversationId: session.conversationId, text: 'How much does the Pro plan cost?' }, session.visitorToken);
    const reply = await recorder.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
    expect(reply.conversationEvents.message!.text).toMatch(/29 dollars/);
    await client.dispose();
    const { logIn } = await graphqlOk(restored.graphqlUrl, LOG_IN, { input: { email: member.email, password: member.password } });
    expect(logIn.tenant).toEqual({ id: member.tenantId, name: 'Restored Inc' });
  });

  it('replays a conversation held before the backup, and serves the uploaded avatar', async () => {
    const { client, recorder } = await subscribeToEvents(restored.websocketUrl, earlier, 0);
    await recorder.waitFor((e) => e.conversationEvents.__typename === 'ReplyCompleted');
    expect(eventsOf(recorder).find((e) => e.__typename === 'ReplyCompleted')!.message!.text).toBe(earlierReply);
    await client.dispose();
    const served = await fetch(`${restored.graphqlUrl.replace('/graphql', '')}/assets/avatars/${avatarHash}.glb`, { headers: { 'accept-encoding': 'identity' } });
    expect(served.status).toBe(200);
    expect(sha256(new Uint8Array(await served.arrayBuffer()))).toBe(avatarHash);
  });

  it('keeps row-level security: the same policies, and the app role sees a tenant only in its own context', async () => {
    const before = await securityOf(source.url!);
    expect(before.policies.length).toBeGreaterThan(10);
    expect(await securityOf(target.url!)).toEqual(before);
    expect(await botsSeenByAppRole(target.url!, first.tenantId)).toEqual([first.botId]);
    expect(await botsSeenByAppRole(target.url!, second.tenantId)).toEqual([second.botId]);
    expect(await botsSeenByAppRole(target.url!, null)).toEqual([]);
  });

  it('refuses to restore over a database that holds data', async () => {
    const refused = run('bash', [path.join(REPO, 'scripts/restore.sh'), path.join(workDir, 'backup'), target.url!]);
    await expect(refused).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/already has \d+ tables/) });
  });
});

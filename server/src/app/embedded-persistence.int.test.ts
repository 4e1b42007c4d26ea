import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config/index.ts';
import { graphqlOk } from '../test/graphql-test-client.ts';
import { ADD_KNOWLEDGE_TEXT, CREATE_BOT, PUBLISH_BOT, SIGN_UP, START_CONVERSATION } from '../test/operations.ts';
import { PRICING_TEXT } from '../test/fixtures.ts';
import { startMascotServer, type MascotServer } from './create-server.ts';

/*
 * The embedded mode (PGlite on disk, secrets generated into the data directory) must survive a restart.
 * startTestServer cannot be used: it pins MASCOT_JWT_SECRET and deletes its data directory on stop.
 * DATABASE_URL and NATS_URL are left out on purpose, so this runs embedded even where CI sets them.
 */
const LOG_IN = `mutation LogIn($input: LogInInput!) { logIn(input: $input) { accessToken user { email } tenant { id } } }`;
const ME = `query { me { user { email } tenant { id } } }`;
const BOTS = `query { bots { edges { node { id name embedId } } } }`;

let dataDir: string;
let first: MascotServer | undefined;
let second: MascotServer;
const credentials = { email: `restart-${randomUUID()}@example.com`, password: 'correct horse battery' };
let before: { accessToken: string; tenantId: string; botId: string; embedId: string };

function startEmbedded(): Promise<MascotServer> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: '',
    NATS_URL: '',
    MASCOT_DATA_DIR: dataDir,
    MASCOT_SEED_DEMO: 'false',
    MASCOT_OFFLINE_TOKEN_DELAY_MS: '0',
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'silent',
  });
  return startMascotServer(config, { embeddedStorage: 'disk' });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'mascot-persist-'));
  first = await startEmbedded();
  const url = first.graphqlUrl;
  const { signUp } = await graphqlOk(url, SIGN_UP, { input: { ...credentials, tenantName: 'Restart Ltd' } });
  const { createBot } = await graphqlOk(url, CREATE_BOT, { input: { name: 'Phoenix' } }, signUp.accessToken);
  await graphqlOk(url, ADD_KNOWLEDGE_TEXT, { botId: createBot.id, input: { title: 'Price list', text: PRICING_TEXT } }, signUp.accessToken);
  await graphqlOk(url, PUBLISH_BOT, { botId: createBot.id }, signUp.accessToken);
  before = { accessToken: signUp.accessToken, tenantId: signUp.tenant.id, botId: createBot.id, embedId: createBot.embedId };
  await first.close();
  second = await startEmbedded();
});

afterAll(async () => {
  await first?.close(); // no-op once closed; matters when setup failed half-way
  await second?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('embedded mode across a restart with the same data directory', () => {
  it('runs embedded even where DATABASE_URL and NATS_URL are set for the other tests', async () => {
    expect(second.bus.kind).toBe('in-process');
    const [row] = await second.orm.em.fork().execute<{ version: string }[]>('select version()');
    expect(row!.version).toMatch(/PGlite/);
  });

  it('logs in with the same credentials and still lists the bot', async () => {
    const { logIn } = await graphqlOk(second.graphqlUrl, LOG_IN, { input: credentials });
    expect(logIn.user.email).toBe(credentials.email);
    expect(logIn.tenant.id).toBe(before.tenantId);
    const { bots } = await graphqlOk(second.graphqlUrl, BOTS, {}, logIn.accessToken);
    expect(bots.edges.map((e: { node: unknown }) => e.node)).toEqual([{ id: before.botId, name: 'Phoenix', embedId: before.embedId }]);
  });

  it('still accepts an access token issued before the restart, because the generated JWT secret persisted', async () => {
    const { me } = await graphqlOk(second.graphqlUrl, ME, {}, before.accessToken);
    expect(me).toEqual({ user: { email: credentials.email }, tenant: { id: before.tenantId } });
  });

  it('keeps the published bot open to visitors', async () => {
    const { startConversation } = await graphqlOk(second.graphqlUrl, START_CONVERSATION, { embedId: before.embedId });
    expect(startConversation.bot.name).toBe('Phoenix');
    expect(startConversation.conversationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the generated secret readable by the owner only, next to the database files', async () => {
    const secretsFile = path.join(dataDir, 'secrets.json');
    expect((await stat(secretsFile)).mode & 0o777).toBe(0o600);
    expect(Object.keys(JSON.parse(await readFile(secretsFile, 'utf8')))).toEqual(['jwt']);
    expect((await stat(path.join(dataDir, 'pglite'))).isDirectory()).toBe(true);
  });
});

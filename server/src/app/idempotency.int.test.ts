import { randomUUID } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requestFingerprint } from '../core/idempotency/index.ts';
import { publishedBot, signUpAccount, type Account, type TenantFixture } from '../test/fixtures.ts';
import { graphqlOk } from '../test/graphql-test-client.ts';
import { CREATE_BOT, ME, PUBLISH_BOT, SEND_MESSAGE, START_CONVERSATION } from '../test/operations.ts';
import { ownerQuery } from '../test/owner-database.ts';
import { sharedTestServer } from '../test/shared-test-server.ts';
import type { TestServer } from '../test/test-server.ts';

// Idempotency-Key on GraphQL mutations over HTTP (core/idempotency), and the retry-safe bot mutations:
// publishing an unchanged draft and repeating a draft update that already applied.
let server: TestServer;
let owner: Account;
let other: Account;

beforeAll(async () => {
  server = await sharedTestServer();
  other = await signUpAccount(server.graphqlUrl);
});
// A tenant of its own for each test: the plan allows a tenant 3 bots.
beforeEach(async () => {
  owner = await signUpAccount(server.graphqlUrl);
});

interface Sent {
  status: number;
  headers: Headers;
  /** The body exactly as it came over the wire. */
  text: string;
  json: { data?: any; errors?: { message: string; extensions: { code: string } }[] };
}

async function post(query: string, variables: Record<string, unknown>, options: { token?: string; key?: string } = {}): Promise<Sent> {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.key !== undefined ? { 'idempotency-key': options.key } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: JSON.parse(text) };
}

const codeOf = (sent: Sent) => sent.json.errors?.[0]?.extensions.code;

async function botsNamed(tenantId: string, name: string): Promise<number> {
  const [row] = await ownerQuery<{ n: number }>(server.databaseUrl, 'select count(*)::int as n from bot where tenant_id = $1 and name = $2', [tenantId, name]);
  return row!.n;
}

const keyRow = async (key: string) =>
  (await ownerQuery(server.databaseUrl, 'select tenant_id, caller, response_status, expires_at from idempotency_key where key = $1', [key]));

describe('Idempotency-Key on mutations', () => {
  it('replays the stored response to a retry: one bot, the same status and bytes, marked as replayed', async () => {
    const key = randomUUID();
    const name = `Once ${key.slice(0, 8)}`;
    const first = await post(CREATE_BOT, { input: { name } }, { token: owner.accessToken, key });
    const retry = await post(CREATE_BOT, { input: { name } }, { token: owner.accessToken, key: `"${key}"` });

    expect(first.status).toBe(200);
    expect(first.json.data.createBot.name).toBe(name);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(retry.status).toBe(first.status);
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await botsNamed(owner.tenantId, name)).toBe(1);
  });

  it('stores one visitor message when sendMessage is retried with the same key', async () => {
    const bot: TenantFixture = await publishedBot(server.graphqlUrl);
    const { startConversation } = await graphqlOk(server.graphqlUrl, START_CONVERSATION, { embedId: bot.embedId });
    const variables = { conversationId: startConversation.conversationId, text: 'How much is the Pro plan?' };
    const key = randomUUID();
    const first = await post(SEND_MESSAGE, variables, { token: startConversation.visitorToken, key });
    const retry = await post(SEND_MESSAGE, variables, { token: startConversation.visitorToken, key });

    expect(first.json.errors).toBeUndefined();
    expect(retry.text).toBe(first.text);
    const messages = await ownerQuery(server.databaseUrl, `select id from message where conversation_id = $1 and role = 'VISITOR'`, [
      startConversation.conversationId,
    ]);
    expect(messages.map((m) => m['id'])).toEqual([first.json.data.sendMessage.id]);
  });

  it('refuses the same key with a different request as 422 IDEMPOTENCY_KEY_REUSED, executing nothing', async () => {
    const key = randomUUID();
    await post(CREATE_BOT, { input: { name: `First ${key.slice(0, 8)}` } }, { token: owner.accessToken, key });
    const reused = await post(CREATE_BOT, { input: { name: `Second ${key.slice(0, 8)}` } }, { token: owner.accessToken, key });

    expect(reused.status).toBe(422);
    expect(codeOf(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await botsNamed(owner.tenantId, `Second ${key.slice(0, 8)}`)).toBe(0);
  });

  it('executes concurrent duplicates once: the others wait for nothing and get 409 IN_FLIGHT or the replay', async () => {
    const key = randomUUID();
    const name = `Burst ${key.slice(0, 8)}`;
    const sent = await Promise.all(Array.from({ length: 6 }, () => post(CREATE_BOT, { input: { name } }, { token: owner.accessToken, key })));

    expect(await botsNamed(owner.tenantId, name)).toBe(1);
    const executed = sent.filter((s) => s.status === 200 && s.headers.get('idempotent-replayed') === null);
    expect(executed).toHaveLength(1);
    for (const s of sent) {
      if (s.status === 409) expect(codeOf(s)).toBe('IDEMPOTENCY_KEY_IN_FLIGHT');
      else expect(s.text).toBe(executed[0]!.text);
    }
  });

  it('answers 409 IDEMPOTENCY_KEY_IN_FLIGHT while a claim is held, and takes over a claim whose lease ran out', async () => {
    const key = randomUUID();
    const name = `Held ${key.slice(0, 8)}`;
    const variables = { input: { name } };
    // A claim as a request still running on some instance leaves it: no response yet, lease in the future.
    const claim = (lease: string) =>
      ownerQuery(
        server.databaseUrl,
        `insert into idempotency_key (tenant_id, caller, key, fingerprint, claim, locked_until, expires_at)
         values ($1, $2, $3, $4, $5, now() + $6::interval, now() + interval '1 day')
         on conflict (tenant_id, caller, key) do update set locked_until = excluded.locked_until`,
        [owner.tenantId, `user:${owner.userId}`, key, requestFingerprint({ query: CREATE_BOT, variables }), randomUUID(), lease],
      );
    await claim('1 minute');
    const held = await post(CREATE_BOT, variables, { token: owner.accessToken, key });
    expect(held.status).toBe(409);
    expect(codeOf(held)).toBe('IDEMPOTENCY_KEY_IN_FLIGHT');
    expect(await botsNamed(owner.tenantId, name)).toBe(0);

    await claim('-1 second'); // the instance holding it died
    const takenOver = await post(CREATE_BOT, variables, { token: owner.accessToken, key });
    expect(takenOver.status).toBe(200);
    expect(await botsNamed(owner.tenantId, name)).toBe(1);
  });

  it('forgets a key once it expires (24 h), and the periodic purge deletes expired keys', async () => {
    const key = randomUUID();
    const name = `Expiring ${key.slice(0, 8)}`;
    await post(CREATE_BOT, { input: { name } }, { token: owner.accessToken, key });
    const [stored] = await keyRow(key);
    const hours = (new Date(stored!['expires_at']).getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);

    await ownerQuery(server.databaseUrl, `update idempotency_key set expires_at = now() - interval '1 second' where key = $1`, [key]);
    const afterExpiry = await post(CREATE_BOT, { input: { name } }, { token: owner.accessToken, key });
    expect(afterExpiry.headers.get('idempotent-replayed')).toBeNull();
    expect(await botsNamed(owner.tenantId, name)).toBe(2);

    const kept = randomUUID();
    await post(CREATE_BOT, { input: { name: `Kept ${kept.slice(0, 8)}` } }, { token: owner.accessToken, key: kept });
    await ownerQuery(server.databaseUrl, `update idempotency_key set expires_at = now() - interval '1 second' where key = $1`, [key]);
    // What the purge timer runs, on the server's own connection (the app role, outside any tenant).
    const [purged] = await server.orm.em.fork().execute<{ n: number }[]>('select mascot_purge_idempotency_keys() as n');
    expect(purged!.n).toBeGreaterThanOrEqual(1);
    expect(await keyRow(key)).toEqual([]);
    expect(await keyRow(kept)).toHaveLength(1);
  });

  it("keeps tenants' keys apart: another tenant's same key and request executes on its own", async () => {
    const key = randomUUID();
    const name = `Shared key ${key.slice(0, 8)}`;
    const mine = await post(CREATE_BOT, { input: { name } }, { token: owner.accessToken, key });
    const theirs = await post(CREATE_BOT, { input: { name } }, { token: other.accessToken, key });

    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.json.data.createBot.id).not.toBe(mine.json.data.createBot.id);
    expect(await botsNamed(owner.tenantId, name)).toBe(1);
    expect(await botsNamed(other.tenantId, name)).toBe(1);
    // Each row is visible only in its own tenant (forced row-level security, like every tenant table).
    expect((await keyRow(key)).map((row) => row['tenant_id']).sort()).toEqual([owner.tenantId, other.tenantId].sort());
  });

  it('refuses a malformed key on a mutation with 400 IDEMPOTENCY_KEY_INVALID, and queries ignore the header', async () => {
    const name = `Bad key ${randomUUID().slice(0, 8)}`;
    for (const key of ['k'.repeat(256), '', '"a", "b"', 'clé']) {
      const refused = await post(CREATE_BOT, { input: { name } }, { token: owner.accessToken, key });
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toMatch(/json/);
      expect(codeOf(refused)).toBe('IDEMPOTENCY_KEY_INVALID');
    }
    expect(await botsNamed(owner.tenantId, name)).toBe(0);

    const query = await post(ME, {}, { token: owner.accessToken, key: 'k'.repeat(256) });
    expect(query.status).toBe(200);
    expect(query.json.errors).toBeUndefined();
    const repeatedKey = randomUUID();
    await post(ME, {}, { token: owner.accessToken, key: repeatedKey });
    expect((await post(ME, {}, { token: owner.accessToken, key: repeatedKey })).headers.get('idempotent-replayed')).toBeNull();
    expect(await keyRow(repeatedKey)).toEqual([]);
  });

  it('replays deterministic errors but not transient ones (CONFLICT): those retries execute again', async () => {
    const missing = { botId: randomUUID() };
    const notFoundKey = randomUUID();
    const notFound = await post(PUBLISH_BOT, missing, { token: owner.accessToken, key: notFoundKey });
    expect(codeOf(notFound)).toBe('NOT_FOUND');
    const replayed = await post(PUBLISH_BOT, missing, { token: owner.accessToken, key: notFoundKey });
    expect(replayed.status).toBe(notFound.status);
    expect(replayed.text).toBe(notFound.text);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');

    const { createBot } = await graphqlOk(server.graphqlUrl, CREATE_BOT, { input: { name: 'Conflicted' } }, owner.accessToken);
    const { bot } = await graphqlOk(server.graphqlUrl, DRAFT, { id: createBot.id }, owner.accessToken);
    const variables = { botId: createBot.id, bundle: { ...bot.draft, name: 'Renamed elsewhere' }, expectedRevision: bot.draftRevision + 5 };
    const key = randomUUID();
    const conflict = await post(UPDATE_DRAFT, variables, { token: owner.accessToken, key });
    expect(codeOf(conflict)).toBe('CONFLICT');
    expect(await keyRow(key)).toEqual([]);
    const again = await post(UPDATE_DRAFT, variables, { token: owner.accessToken, key });
    expect(codeOf(again)).toBe('CONFLICT');
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });
});

const DRAFT = /* GraphQL */ `query Draft($id: ID!) { bot(id: $id) { draft draftRevision liveVersion { number } } }`;
const UPDATE_DRAFT = /* GraphQL */ `
  mutation UpdateDraft($botId: ID!, $bundle: JSONObject!, $expectedRevision: Int) {
    updateBotDraft(botId: $botId, bundle: $bundle, expectedRevision: $expectedRevision) { draft draftRevision }
  }`;

describe('retry-safe bot mutations (without a key)', () => {
  it('publishes an unchanged draft as the live version, not a new one', async () => {
    const bot = await publishedBot(server.graphqlUrl);
    const { publishBot } = await graphqlOk(server.graphqlUrl, PUBLISH_BOT, { botId: bot.botId }, bot.accessToken);
    expect(publishBot.number).toBe(1);

    const { bot: current } = await graphqlOk(server.graphqlUrl, DRAFT, { id: bot.botId }, bot.accessToken);
    const bundle = { ...current.draft, personality: { ...current.draft.personality, greeting: 'Hello again!' } };
    await graphqlOk(server.graphqlUrl, UPDATE_DRAFT, { botId: bot.botId, bundle }, bot.accessToken);
    expect((await graphqlOk(server.graphqlUrl, PUBLISH_BOT, { botId: bot.botId }, bot.accessToken)).publishBot.number).toBe(2);
    expect((await graphqlOk(server.graphqlUrl, PUBLISH_BOT, { botId: bot.botId }, bot.accessToken)).publishBot.number).toBe(2);
    const versions = await ownerQuery(server.databaseUrl, 'select number from bot_version where bot_id = $1 order by number', [bot.botId]);
    expect(versions.map((v) => v['number'])).toEqual([1, 2]);
  });

  it('accepts a retried draft update that already applied, and still refuses a different one as CONFLICT', async () => {
    const { createBot } = await graphqlOk(server.graphqlUrl, CREATE_BOT, { input: { name: 'Drafty' } }, owner.accessToken);
    const { bot } = await graphqlOk(server.graphqlUrl, DRAFT, { id: createBot.id }, owner.accessToken);
    const bundle = { ...bot.draft, personality: { ...bot.draft.personality, greeting: 'Saved once' } };
    const update = { botId: createBot.id, bundle, expectedRevision: bot.draftRevision };

    const first = await graphqlOk(server.graphqlUrl, UPDATE_DRAFT, update, owner.accessToken);
    expect(first.updateBotDraft.draftRevision).toBe(bot.draftRevision + 1);
    // The response was lost; the editor sends the same save, from the same revision, again.
    const retried = await graphqlOk(server.graphqlUrl, UPDATE_DRAFT, update, owner.accessToken);
    expect(retried.updateBotDraft).toEqual(first.updateBotDraft);

    const stale = await post(UPDATE_DRAFT, { ...update, bundle: { ...bundle, personality: { ...bundle.personality, greeting: 'Other' } } }, {
      token: owner.accessToken,
    });
    expect(codeOf(stale)).toBe('CONFLICT');
  });
});

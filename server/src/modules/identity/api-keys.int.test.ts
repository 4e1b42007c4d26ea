import { beforeAll, describe, expect, it } from 'vitest';
import { signUpAccount, type Account } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest } from '../../test/graphql-test-client.ts';
import { API_KEYS, AUDIT_LOG, BOTS, CREATE_API_KEY, CREATE_BOT, PUBLISH_BOT, REVOKE_API_KEY } from '../../test/operations.ts';
import { sharedTestServer } from '../../test/shared-test-server.ts';
import type { TestServer } from '../../test/test-server.ts';

let server: TestServer;
let owner: Account;
beforeAll(async () => {
  server = await sharedTestServer();
  owner = await signUpAccount(server.graphqlUrl);
});

const code = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;
async function createKey(scopes: string[], name = 'partner') {
  return (await graphqlOk(server.graphqlUrl, CREATE_API_KEY, { input: { name, scopes } }, owner.accessToken)).createApiKey;
}

describe('API keys', () => {
  it('shows the secret once, stores only a hash, and lists the key by prefix', async () => {
    const created = await createKey(['READ']);
    expect(created.secret).toMatch(/^mk_[0-9A-Za-z]{36}$/);
    expect(created.secret.startsWith(created.apiKey.prefix)).toBe(true);
    const { apiKeys } = await graphqlOk(server.graphqlUrl, API_KEYS, {}, owner.accessToken);
    expect(JSON.stringify(apiKeys)).not.toContain(created.secret);
    expect(apiKeys.edges.map((e: any) => e.node.id)).toContain(created.apiKey.id);
  });

  it('authenticates partners within its scopes and tracks lastUsedAt', async () => {
    const created = await createKey(['READ']);
    expect(created.apiKey.lastUsedAt).toBeNull();
    expect(code(await graphqlRequest(server.graphqlUrl, BOTS, {}, created.secret))).toBeUndefined();
    const denied = await graphqlRequest(server.graphqlUrl, CREATE_BOT, { input: { name: 'Nope' } }, created.secret);
    expect(code(denied)).toBe('FORBIDDEN');
    const { apiKeys } = await graphqlOk(server.graphqlUrl, API_KEYS, { first: 100 }, owner.accessToken);
    const listed = apiKeys.edges.find((e: any) => e.node.id === created.apiKey.id).node;
    expect(listed.lastUsedAt).not.toBeNull();
  });

  it('lets a write+publish key create and publish a bot, and cannot manage keys', async () => {
    const created = await createKey(['WRITE', 'PUBLISH']);
    const bot = await graphqlOk(server.graphqlUrl, CREATE_BOT, { input: { name: 'KeyBot' } }, created.secret);
    await graphqlOk(server.graphqlUrl, PUBLISH_BOT, { botId: bot.createBot.id }, created.secret);
    expect(code(await graphqlRequest(server.graphqlUrl, API_KEYS, {}, created.secret))).toBe('FORBIDDEN');
  });

  it('stops working on the very next request after it is revoked', async () => {
    const created = await createKey(['READ']);
    expect(code(await graphqlRequest(server.graphqlUrl, BOTS, {}, created.secret))).toBeUndefined();
    await graphqlOk(server.graphqlUrl, REVOKE_API_KEY, { id: created.apiKey.id }, owner.accessToken);
    const after = await graphqlRequest(server.graphqlUrl, BOTS, {}, created.secret);
    expect(after.status).toBe(401);
    expect(code(after)).toBe('UNAUTHENTICATED');
  });

  it('rejects malformed keys and keys with a wrong checksum as UNAUTHENTICATED', async () => {
    const created = await createKey(['READ']);
    const tampered = created.secret.slice(0, -1) + (created.secret.endsWith('a') ? 'b' : 'a');
    for (const bad of ['mk_short', tampered]) {
      const result = await graphqlRequest(server.graphqlUrl, BOTS, {}, bad);
      expect(code(result)).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses empty scopes, unknown scopes and another tenant\'s key id', async () => {
    const empty = await graphqlRequest(server.graphqlUrl, CREATE_API_KEY, { input: { name: 'x', scopes: [] } }, owner.accessToken);
    expect(code(empty)).toBe('BAD_USER_INPUT');
    const unknown = await graphqlRequest(server.graphqlUrl, CREATE_API_KEY, { input: { name: 'x', scopes: ['admin'] } }, owner.accessToken);
    expect(code(unknown)).toBe('BAD_USER_INPUT');
    const other = await signUpAccount(server.graphqlUrl);
    const created = await createKey(['READ']);
    const revoke = await graphqlRequest(server.graphqlUrl, REVOKE_API_KEY, { id: created.apiKey.id }, other.accessToken);
    expect(code(revoke)).toBe('NOT_FOUND');
  });

  it('records creation and revocation in the audit log', async () => {
    const created = await createKey(['READ'], 'audited');
    await graphqlOk(server.graphqlUrl, REVOKE_API_KEY, { id: created.apiKey.id }, owner.accessToken);
    const { auditLog } = await graphqlOk(server.graphqlUrl, AUDIT_LOG, { first: 100 }, owner.accessToken);
    const forKey = auditLog.edges.map((e: any) => e.node).filter((n: any) => n.targetId === created.apiKey.id);
    expect(forKey.map((n: any) => n.action).sort()).toEqual(['api_key.created', 'api_key.revoked']);
    expect(forKey.every((n: any) => n.actorId === owner.userId)).toBe(true);
  });
});

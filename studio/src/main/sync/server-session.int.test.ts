// Token renewal against a real Mascot server whose access tokens live two seconds: renewed before
// expiry, renewed once and retried when refused, and a revoked session signs the designer out.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpAccount, type Account } from '../../../../server/src/test/fixtures.ts';
import { ownerQuery } from '../../../../server/src/test/owner-database.ts';
import { startTestServer, type TestServer } from '../../../../server/src/test/test-server.ts';
import type { StudioEvent } from '../../shared/studio-events.ts';
import { StudioError } from '../../shared/studio-error.ts';
import { createStudioCore, type StudioCore } from '../studio-core.ts';
import { memorySessionVault, type SessionVault, type StoredSession } from './session-vault.ts';

// Short, so expiry can be waited for; long enough that a loaded machine does not expire a token mid-step.
const ACCESS_TOKEN_TTL_S = 4;

let server: TestServer;
let owner: Account;
let workspaceDir: string;
let core: StudioCore;
let vault: SessionVault & { saved: StoredSession[] };
const events: StudioEvent[] = [];
/** Studio's clock: real time plus what a test adds to reach renewal time without waiting for it. */
let clockOffsetMs = 0;
let frozenAt: number | null = null;
const now = () => frozenAt ?? Date.now() + clockOffsetMs;

function recordingVault(): SessionVault & { saved: StoredSession[] } {
  const inner = memorySessionVault();
  const saved: StoredSession[] = [];
  return { ...inner, saved, save: async (session) => (saved.push(session), inner.save(session)) };
}

const rotations = async () =>
  (await ownerQuery<{ n: number }>(server.databaseUrl, `select count(*)::int as n from refresh_token where user_id = $1 and revoked_reason = 'rotated'`, [owner.userId]))[0]!.n;

beforeAll(async () => {
  server = await startTestServer({ MASCOT_ACCESS_TOKEN_TTL_S: String(ACCESS_TOKEN_TTL_S) });
  owner = await signUpAccount(server.graphqlUrl, 'Acme');
  workspaceDir = await mkdtemp(path.join(tmpdir(), 'studio-session-'));
  vault = recordingVault();
  core = createStudioCore({ workspaceDir, inMemoryIndex: true, sessionVault: vault, now });
  core.events.subscribe((event) => events.push(event));
  await core.signIn({ serverUrl: server.url, email: owner.email, password: owner.password });
  projectId = (await core.createProject({ name: 'Milo' })).id;
  await core.linkProject(projectId);
});

afterAll(async () => {
  await core?.close();
  await server?.stop();
  await rm(workspaceDir, { recursive: true, force: true });
});

let projectId: string;
/** An authenticated request of the linked project: its published versions. */
const askServer = (through: StudioCore = core) => through.versions(projectId);

describe("Studio's server session", () => {
  it('keeps the refresh token in the vault and tells the renderer who is signed in, never a token', () => {
    expect(vault.saved.at(-1)).toMatchObject({ serverUrl: server.url, email: owner.email, refreshToken: expect.stringMatching(/^mrt_/) });
    expect(events).toContainEqual({ type: 'session', session: { serverUrl: server.url, email: owner.email, tenantName: 'Acme' }, reason: null });
    expect(JSON.stringify(events)).not.toMatch(/mrt_|eyJ/);
  });

  it('renews the access token shortly before it expires, once for concurrent requests, rotating the refresh token', async () => {
    // Start from a token just issued, whatever time the earlier tests took: Studio renews past the token's end.
    clockOffsetMs = ACCESS_TOKEN_TTL_S * 1000;
    await askServer();
    clockOffsetMs = 0;
    const before = await rotations();
    const refreshToken = vault.saved.at(-1)!.refreshToken;
    await askServer();
    expect(await rotations()).toBe(before);

    clockOffsetMs = (ACCESS_TOKEN_TTL_S - 0.2) * 1000; // inside the renewal window, still valid for the server
    expect(await Promise.all([askServer(), askServer(), askServer()])).toEqual([[], [], []]);
    expect(await rotations()).toBe(before + 1);
    expect(vault.saved.at(-1)!.refreshToken).not.toBe(refreshToken);
    clockOffsetMs = 0;
  });

  it('renews once and retries when the server refuses an expired token', async () => {
    // Studio's clock stands still, so it believes its token fresh; the server's does not.
    frozenAt = Date.now();
    await askServer(); // may renew a token the last test left near its end
    const before = await rotations();
    await new Promise((resolve) => setTimeout(resolve, ACCESS_TOKEN_TTL_S * 1000 + 200));
    expect(await askServer()).toEqual([]);
    expect(await rotations()).toBe(before + 1);
    frozenAt = null;
  });

  it('survives a restart when the vault keeps the session: the next request renews the token', async () => {
    const restarted = createStudioCore({ workspaceDir: await mkdtemp(path.join(tmpdir(), 'studio-session-')), inMemoryIndex: true, sessionVault: vault, now });
    try {
      await restarted.restoreSession();
      expect(await restarted.session()).toEqual({ serverUrl: server.url, email: owner.email, tenantName: 'Acme' });
      // Projects live in the workspace; the restarted core links its own to the same bot.
      const { link } = await core.openProject(projectId);
      const project = await restarted.createProject({ name: 'After restart' });
      expect((await restarted.linkProject(project.id, link!.botId)).link).toMatchObject({ botId: link!.botId });
    } finally {
      await restarted.close();
    }
  });

  it('signs the designer out with a reason when the session is revoked on the server', async () => {
    expect(await core.session()).not.toBeNull();
    // Ended on the server the way another instance ends it: the rows, then the announcement every
    // instance's identity cache hears (sessions are cached, so the rows alone take up to 30 s).
    const ended = await ownerQuery<{ family_id: string }>(
      server.databaseUrl,
      `update refresh_token set revoked_at = now(), revoked_reason = 'logout' where user_id = $1 and revoked_at is null returning family_id`,
      [owner.userId],
    );
    for (const { family_id: familyId } of ended) await server.identityCache.announce({ type: 'sessionEnded', familyId });

    const error = await askServer().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(StudioError);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/session on .* has ended .*sign in again/) });
    expect(await core.session()).toBeNull();
    expect(await vault.load()).toBeNull();
    expect(events.at(-1)).toMatchObject({ type: 'session', session: null, reason: expect.stringMatching(/has ended/) });
    // Signing in again works as before.
    await core.signIn({ serverUrl: server.url, email: owner.email, password: owner.password });
    expect(await askServer()).toEqual([]);
  });
});

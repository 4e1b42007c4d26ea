// Sync, publish, diff, rollback and conflicts against a real Mascot server (real PostgreSQL and
// NATS when DATABASE_URL / NATS_URL are set, the embedded ones otherwise).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUILTIN_AVATARS } from '@mascot/avatar-assets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlOk } from '../../../../server/src/test/graphql-test-client.ts';
import { signUpAccount, type Account } from '../../../../server/src/test/fixtures.ts';
import { ownerQuery } from '../../../../server/src/test/owner-database.ts';
import { startTestServer, type TestServer } from '../../../../server/src/test/test-server.ts';
import { HANDBOOK, utf8 } from '../../../test/fixtures.ts';
import { failure, switchableNetwork } from '../../../test/core-test-kit.ts';
import { askThroughWidget } from '../../../test/widget-contract.ts';
import type { SyncStatus } from '../../shared/studio-api.ts';
import { createStudioCore, type StudioCore } from '../studio-core.ts';

const BOT_DRAFT = 'query($id: ID!) { bot(id: $id) { draft draftRevision } }';
const UPDATE_DRAFT = 'mutation($botId: ID!, $bundle: JSONObject!) { updateBotDraft(botId: $botId, bundle: $bundle) { draftRevision } }';

let server: TestServer;
let owner: Account;
let workspaceDir: string;
let core: StudioCore;
const network = switchableNetwork();

beforeAll(async () => {
  server = await startTestServer();
  owner = await signUpAccount(server.graphqlUrl, 'Acme');
  workspaceDir = await mkdtemp(path.join(tmpdir(), 'studio-sync-'));
  core = createStudioCore({ workspaceDir, inMemoryIndex: true, fetch: network.fetch });
});

afterAll(async () => {
  await core?.close();
  await server?.stop();
  await rm(workspaceDir, { recursive: true, force: true });
});

/** The bot's knowledge documents on the server, read past row-level security. */
async function serverDocuments(botId: string): Promise<string[]> {
  return (await ownerQuery<{ id: string }>(server.databaseUrl, 'select id from knowledge_document where bot_id = $1', [botId])).map((r) => r.id);
}

async function serverDraft(botId: string) {
  return (await graphqlOk(server.graphqlUrl, BOT_DRAFT, { id: botId }, owner.accessToken)).bot as { draft: Record<string, any>; draftRevision: number };
}

/** Someone else edits the bot's draft on the server (the admin UI, another designer). */
async function editOnServer(botId: string, greeting: string) {
  const { draft } = await serverDraft(botId);
  await graphqlOk(server.graphqlUrl, UPDATE_DRAFT, { botId, bundle: { ...draft, personality: { ...draft.personality, greeting } } }, owner.accessToken);
}

async function setGreeting(projectId: string, greeting: string) {
  const { bundle } = await core.openProject(projectId);
  return core.updateBundle(projectId, { ...bundle, personality: { ...bundle.personality, greeting } });
}

describe('Studio sync and publishing', () => {
  let projectId: string;
  let botId: string;
  let embedId: string;

  it('needs a sign-in before linking, and refuses a wrong password', async () => {
    const project = await core.createProject({ name: 'Milo' });
    projectId = project.id;
    expect((await failure(core.linkProject(projectId))).code).toBe('UNAUTHENTICATED');
    expect((await failure(core.signIn({ serverUrl: server.url, email: owner.email, password: 'wrong password!' }))).code).toBe('UNAUTHENTICATED');
    expect(await core.signIn({ serverUrl: server.url, email: owner.email, password: owner.password })).toEqual({
      serverUrl: server.url, email: owner.email, tenantName: 'Acme',
    });
  });

  it('links a project authored offline to a new bot and syncs avatar, knowledge and draft', async () => {
    // Authored offline: an imported model (Milo's file, as a designer's own GLB) and a document.
    await core.importAvatar(projectId, { fileName: 'robot.glb', bytes: new Uint8Array(await readFile(BUILTIN_AVATARS[0]!.file)) });
    await core.importKnowledge(projectId, { fileName: 'handbook.md', bytes: utf8(HANDBOOK) });
    const linked = await core.linkProject(projectId);
    botId = linked.link!.botId;
    embedId = linked.link!.embedId;
    expect(linked.dirty).toBe(true);

    const result = await core.sync(projectId);
    expect(result).toMatchObject({ status: 'synced', avatarUploaded: true, uploadedKnowledge: 1, skippedKnowledge: 0, conflict: null });
    expect((await core.openProject(projectId)).dirty).toBe(false);
    const { draft, draftRevision } = await serverDraft(botId);
    expect(draftRevision).toBe(result.revision);
    expect(draft['avatar'].kind).toBe('uploaded');
    // The server optimises uploads: the synced bundle names the hash the server stored.
    const local = await core.openProject(projectId);
    expect(local.bundle.avatar.kind === 'uploaded' && local.bundle.avatar.assetHash).not.toBe(draft['avatar'].assetHash);
    expect(draft['avatar'].animationMap).toEqual(local.bundle.avatar.animationMap);
    expect((await core.listKnowledge(projectId))[0]!.syncedDocumentId).toEqual(expect.any(String));
  });

  it('uploads only what the server does not have yet', async () => {
    const again = await core.sync(projectId);
    expect(again).toMatchObject({ status: 'synced', avatarUploaded: false, uploadedKnowledge: 0, skippedKnowledge: 1 });
  });

  it('publishes, and the published bot answers through the widget contract with citations', async () => {
    expect((await core.pendingDiff(projectId)).liveVersion).toBeNull();
    const published = await core.publish(projectId);
    expect(published.version).toMatchObject({ number: 1, rolledBackFrom: null, knowledgeDocumentCount: 1 });
    expect(published.diff).toBeNull();

    const reply = await askThroughWidget(server.graphqlUrl, embedId, 'How much does the Pro plan cost?');
    expect(reply.text).toMatch(/29 dollars per month/);
    expect(reply.sources[0]).toMatchObject({ marker: 1, documentTitle: 'Acme Cloud handbook' });
  });

  it("shows the draft's diff against the live version, publishes it, and rolls back", async () => {
    await setGreeting(projectId, 'Beep! Ask me about plans and support.');
    const pending = await core.pendingDiff(projectId);
    expect(pending.liveVersion).toBe(1);
    expect(pending.changes).toEqual([expect.objectContaining({ path: 'personality.greeting', kind: 'changed', after: 'Beep! Ask me about plans and support.' })]);

    const second = await core.publish(projectId);
    expect(second.version.number).toBe(2);
    expect(second.diff).toMatchObject({ from: 1, to: 2, changes: [expect.objectContaining({ path: 'personality.greeting', kind: 'changed' })] });
    expect((await askThroughWidget(server.graphqlUrl, embedId, 'hi')).greeting).toBe('Beep! Ask me about plans and support.');

    const rolledBack = await core.rollback(projectId, 1);
    expect(rolledBack.version).toMatchObject({ number: 3, rolledBackFrom: 1 });
    expect(rolledBack.diff!.changes).toEqual([expect.objectContaining({ path: 'personality.greeting', before: 'Beep! Ask me about plans and support.' })]);
    expect((await askThroughWidget(server.graphqlUrl, embedId, 'hi')).greeting).not.toBe('Beep! Ask me about plans and support.');
    expect((await core.versions(projectId)).map((v) => v.number)).toEqual([3, 2, 1]);
    expect((await failure(core.rollback(projectId, 99))).code).toBe('NOT_FOUND');
  });

  it('detects that someone changed the bot on the server, shows it and overwrites nothing', async () => {
    await editOnServer(botId, 'Greeting written in the admin.');
    await setGreeting(projectId, 'Greeting written in Studio.');
    const result = await core.sync(projectId);
    expect(result.status).toBe('conflict');
    expect(result.conflict!.changes).toEqual([
      expect.objectContaining({ path: 'personality.greeting', before: 'Greeting written in Studio.', after: 'Greeting written in the admin.' }),
    ]);
    expect((await serverDraft(botId)).draft['personality'].greeting).toBe('Greeting written in the admin.');
    expect((await core.openProject(projectId)).bundle.personality.greeting).toBe('Greeting written in Studio.');
    expect((await failure(core.publish(projectId))).code).toBe('CONFLICT');
  });

  it('ends a conflict only by an explicit choice: keep ours, or take the server draft', async () => {
    const kept = await core.resolveConflict(projectId, 'keep-local');
    expect(kept.dirty).toBe(false);
    expect((await serverDraft(botId)).draft['personality'].greeting).toBe('Greeting written in Studio.');

    await editOnServer(botId, 'Another admin edit.');
    const taken = await core.resolveConflict(projectId, 'take-server');
    expect(taken.bundle.personality.greeting).toBe('Another admin edit.');
    expect(taken.dirty).toBe(false);
    expect(taken.canUndo).toBe(true);
    expect((await core.sync(projectId)).status).toBe('synced');
  });

  it('queues a sync while offline and completes it when the network is back', async () => {
    await setGreeting(projectId, 'Written on a plane.');
    network.online = false;
    const queued = await core.sync(projectId);
    expect(queued.status).toBe('queued');
    expect((await core.openProject(projectId)).queuedSync).toBe(true);
    expect(await core.queue.flush()).toBe(1);
    network.online = true;
    expect(await core.queue.flush()).toBe(0);
    const state = await core.openProject(projectId);
    expect(state).toMatchObject({ queuedSync: false, dirty: false });
    expect((await serverDraft(botId)).draft['personality'].greeting).toBe('Written on a plane.');
  });

  it('pushes the queue state as it changes: syncing, waiting for the network, retrying, synced', async () => {
    const seen: SyncStatus[] = [];
    const stop = core.events.subscribe((event) => {
      if (event.type === 'syncStatus' && event.status.projectId === projectId) seen.push(event.status);
    });
    await setGreeting(projectId, 'Written on a train.');
    await core.importKnowledge(projectId, { fileName: 'faq.md', bytes: utf8('# FAQ\n## Shipping\nParcels arrive by courier within two days.') });
    network.online = false;
    await core.sync(projectId);
    expect(seen.at(-1)).toMatchObject({ state: 'waiting-for-network', pendingUploads: 1, nextRetryAt: null });
    expect(await core.syncStatus(projectId)).toEqual(seen.at(-1));
    network.online = true;
    expect(await core.queue.flush()).toBe(0);
    stop();
    expect(seen.map((s) => [s.state, s.pendingUploads])).toEqual([
      ['syncing', 1], ['waiting-for-network', 1], ['retrying', 1], ['syncing', 1], ['syncing', 0], ['synced', 0],
    ]);
    expect(await core.syncStatus(projectId)).toMatchObject({ state: 'synced', message: expect.stringMatching(/^Synced as draft revision \d+\.$/) });
  });

  it('deletes a removed knowledge file on the server at the next sync, and not while a conflict is open', async () => {
    const faq = (await core.listKnowledge(projectId)).find((d) => d.fileName === 'faq.md')!;
    const serverId = faq.syncedDocumentId!;
    await core.removeKnowledge(projectId, faq.id);
    expect((await core.openProject(projectId)).dirty).toBe(true);

    // Someone changed the bot on the server meanwhile: the conflict holds back our deletion too.
    await editOnServer(botId, 'Edited in the admin once more.');
    expect(await core.sync(projectId)).toMatchObject({ status: 'conflict', deletedKnowledge: 0 });
    expect(await serverDocuments(botId)).toContain(serverId);

    await core.resolveConflict(projectId, 'keep-local');
    expect(await serverDocuments(botId)).not.toContain(serverId);
    expect(await serverDocuments(botId)).toHaveLength(1); // the handbook stays
    const state = await core.openProject(projectId);
    expect(state.dirty).toBe(false);
    expect(await core.syncStatus(projectId)).toMatchObject({ state: 'synced', pendingUploads: 0 });
  });

  it('counts a document already deleted on the server as deleted', async () => {
    const notes = await core.importKnowledge(projectId, { fileName: 'notes.md', bytes: utf8('# Notes\nThe office dog is called Biscuit.') });
    await core.sync(projectId);
    const serverId = (await core.listKnowledge(projectId)).find((d) => d.id === notes.id)!.syncedDocumentId!;
    await graphqlOk(server.graphqlUrl, 'mutation($id: ID!) { deleteKnowledgeDocument(id: $id) { id } }', { id: serverId }, owner.accessToken);
    await core.removeKnowledge(projectId, notes.id);
    expect(await core.sync(projectId)).toMatchObject({ status: 'synced', deletedKnowledge: 1 });
    expect((await core.openProject(projectId)).dirty).toBe(false);
  });

  it('refuses to link to a bot the tenant does not have', async () => {
    const error = await failure(core.linkProject(projectId, '00000000-0000-4000-8000-000000000000'));
    expect(error.code).toBe('NOT_FOUND');
  });
});

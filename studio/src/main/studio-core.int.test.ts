// The offline loop through the main-process core, as the renderer drives it: no server, no network.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ANIMATION_SLOTS } from '@mascot/avatar-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../../test/core-test-kit.ts';
import { HANDBOOK, utf8 as text } from '../../test/fixtures.ts';
import { IPC_ARGUMENTS } from '../shared/ipc-schemas.ts';
import { createStudioCore, type StudioCore } from './studio-core.ts';

let workspaceDir: string;
let core: StudioCore;

beforeAll(async () => {
  workspaceDir = await mkdtemp(path.join(tmpdir(), 'studio-core-'));
  core = createStudioCore({ workspaceDir });
});

afterAll(async () => {
  await core?.close();
  await rm(workspaceDir, { recursive: true, force: true });
});

describe('Studio offline', () => {
  let projectId: string;

  it('creates a project with a valid default bundle, listed in the workspace', async () => {
    const project = await core.createProject({ name: 'Milo' });
    projectId = project.id;
    expect(project.bundle.name).toBe('Milo');
    expect(project.avatar).toBeNull();
    expect(project.dirty).toBe(true);
    expect(await core.listProjects()).toEqual([expect.objectContaining({ id: projectId, name: 'Milo', linked: false })]);
  });

  it('uses a built-in avatar with every slot mapped from its clip names', async () => {
    const project = await core.useBuiltinAvatar(projectId, 'milo');
    expect(project.avatar).toMatchObject({ kind: 'builtin', ref: 'milo', name: 'Milo' });
    expect(project.avatar!.triangleCount).toBeLessThanOrEqual(project.avatar!.budgets.maxTriangles);
    const map = project.bundle.avatar.animationMap;
    expect(Object.keys(map).sort()).toEqual([...ANIMATION_SLOTS].sort());
    for (const clip of Object.values(map)) if (clip !== null) expect(project.avatar!.clipNames).toContain(clip);
    expect(map.idle).not.toBeNull();
    expect(map.greet_wave).not.toBeNull();
    expect(await core.avatarBytes(projectId)).toHaveProperty('byteLength', project.avatar!.byteSize);
  });

  it('reacts to sample sentences with the slot the live rules would pick', async () => {
    expect(await core.reactTo(projectId, 'Hello there!')).toMatchObject({ slot: 'greet_wave', intent: 'greeting' });
    const upset = await core.reactTo(projectId, 'This is terrible, I am really angry and disappointed with your awful service');
    expect(upset.slot).toBe('sad');
    expect(upset.sentiment).toBeLessThan(0);
    expect(upset.clip).not.toBeNull();
  });

  it('saves every edit at once, and undoes and redoes it', async () => {
    const before = await core.openProject(projectId);
    const edited = await core.updateBundle(projectId, {
      ...before.bundle,
      personality: { ...before.bundle.personality, tone: 'playful', greeting: 'Beep boop! Ask me anything.' },
    });
    expect(edited.bundle.personality.greeting).toBe('Beep boop! Ask me anything.');
    expect(edited.canUndo).toBe(true);
    const undone = await core.undo(projectId);
    expect(undone.bundle.personality.greeting).toBe(before.bundle.personality.greeting);
    expect(undone.canRedo).toBe(true);
    const redone = await core.redo(projectId);
    expect(redone.bundle.personality.tone).toBe('playful');

    // A second Studio on the same workspace (an app restart) reads what was saved.
    const reopened = createStudioCore({ workspaceDir, inMemoryIndex: true });
    expect((await reopened.openProject(projectId)).bundle.personality.greeting).toBe('Beep boop! Ask me anything.');
    await reopened.close();
  });

  it('refuses an invalid bundle with field paths and keeps the saved one', async () => {
    const before = await core.openProject(projectId);
    const error = await failure(core.updateBundle(projectId, { ...before.bundle, personality: { ...before.bundle.personality, language: 'not a language' } }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.fields).toEqual([expect.objectContaining({ field: 'bundle.personality.language' })]);
    expect((await core.openProject(projectId)).bundle).toEqual(before.bundle);
  });

  it('imports a document with the server parsers and chunker, once per content', async () => {
    const document = await core.importKnowledge(projectId, { fileName: 'handbook.md', bytes: text(HANDBOOK) });
    expect(document).toMatchObject({ title: 'Acme Cloud handbook', format: 'markdown', syncedDocumentId: null });
    expect(document.chunkCount).toBeGreaterThan(0);
    const again = await core.importKnowledge(projectId, { fileName: 'copy.md', bytes: text(HANDBOOK) });
    expect(again.id).toBe(document.id);
    expect(await core.listKnowledge(projectId)).toHaveLength(1);
    const chunks = await core.knowledgeChunks(projectId, document.id);
    expect(chunks.map((c) => c.sectionPath.at(-1))).toEqual(expect.arrayContaining(['Pricing', 'Support']));
  });

  it('refuses files no parser reads, leaving nothing behind', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    expect((await failure(core.importKnowledge(projectId, { fileName: 'logo.png', bytes: png }))).code).toBe('BAD_USER_INPUT');
    expect((await failure(core.importKnowledge(projectId, { fileName: 'empty.md', bytes: text('   \n') }))).code).toBe('BAD_USER_INPUT');
    expect(await core.listKnowledge(projectId)).toHaveLength(1);
  });

  it('finds the passage that answers a test search', async () => {
    const [best] = await core.searchKnowledge(projectId, 'When is support open?');
    expect(best!.text).toMatch(/8 am to 8 pm/);
    expect(best!.sectionPath).toContain('Support');
  });

  it('answers in chat from the knowledge with citations, and admits what it does not know', async () => {
    const reply = await core.chat(projectId, 'How much does the Pro plan cost?');
    expect(reply.grounded).toBe(true);
    expect(reply.text).toMatch(/29 dollars per month/);
    expect(reply.text).toMatch(/\[1\]/);
    expect(reply.citations[0]).toMatchObject({ marker: 1, documentTitle: 'Acme Cloud handbook' });

    const unknown = await core.chat(projectId, 'Do you sell refrigerators in Norway?');
    expect(unknown.grounded).toBe(false);
    expect(unknown.citations).toEqual([]);
    expect(unknown.reaction.slot).toBe('confused');
  });

  it('rebuilds a lost index from the stored files', async () => {
    const rebuilt = createStudioCore({ workspaceDir, inMemoryIndex: true });
    const [best] = await rebuilt.searchKnowledge(projectId, 'Pro plan price');
    expect(best!.text).toMatch(/29 dollars/);
    await rebuilt.close();
  });

  it('keeps a gallery: thumbnails, a local copy with its own knowledge index, and deletion', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    await core.saveProjectThumbnail(projectId, png);
    expect(IPC_ARGUMENTS.saveProjectThumbnail.safeParse([projectId, new TextEncoder().encode('<svg onload=alert(1)>')]).success).toBe(false);

    const copy = await core.duplicateProject(projectId);
    const original = await core.openProject(projectId);
    expect(copy.id).not.toBe(projectId);
    expect(copy.bundle).toEqual({ ...original.bundle, name: `${original.bundle.name} (copy)` });
    expect(copy.avatar).toEqual(original.avatar);
    expect(copy.link).toBeNull();
    expect((await core.listKnowledge(copy.id)).map((d) => d.title)).toEqual((await core.listKnowledge(projectId)).map((d) => d.title));
    // The copy's index is its own, rebuilt from the copied files.
    expect((await core.searchKnowledge(copy.id, 'Pro plan price'))[0]!.text).toMatch(/29 dollars/);
    const listed = await core.listProjects();
    expect(listed.map((p) => p.name)).toEqual([`${original.bundle.name} (copy)`, original.bundle.name]);
    expect(listed.map((p) => p.thumbnail)).toEqual([png, png]);

    await core.deleteProject(copy.id);
    expect((await failure(core.openProject(copy.id))).code).toBe('NOT_FOUND');
    await expect(stat(path.join(workspaceDir, 'projects', copy.id))).rejects.toThrow(/ENOENT/);
    expect((await core.listProjects()).map((p) => p.id)).toEqual([projectId]);
    // The original keeps its knowledge.
    expect((await core.searchKnowledge(projectId, 'Pro plan price'))[0]!.text).toMatch(/29 dollars/);
  });

  it('removes a document from the knowledge and the index', async () => {
    const [document] = await core.listKnowledge(projectId);
    expect(await core.removeKnowledge(projectId, document!.id)).toEqual([]);
    expect(await core.searchKnowledge(projectId, 'Pro plan price')).toEqual([]);
  });

  it('answers NOT_FOUND for projects that do not exist', async () => {
    expect((await failure(core.openProject('00000000-0000-4000-8000-000000000000'))).code).toBe('NOT_FOUND');
  });
});

// The workspace on disk: one folder per project.
//
//   <workspace>/projects/<id>/project.json      name, dates, server link and sync state
//   <workspace>/projects/<id>/bundle.json       the bot bundle document (the draft)
//   <workspace>/projects/<id>/avatars/<sha>.glb imported models, by the SHA-256 of their bytes
//   <workspace>/projects/<id>/knowledge/        documents.json and the original files, by SHA-256
//   <workspace>/projects/<id>/index/            the local retrieval index (PGlite), derived data
//   <workspace>/projects/<id>/thumbnail.png     the gallery's picture of the avatar (taken by the renderer)
//
// Autosave: every accepted edit is written (atomically) before the call returns, so there is no
// unsaved state to lose. Undo/redo keeps bundle snapshots in memory for the session.
import { createHash, randomUUID } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { defaultBotBundle, validateBotBundle, type BotBundle } from '@mascot/bot-bundle';
import type { KnowledgeDocumentSummary, ServerLink } from '../../shared/studio-api.ts';
import { StudioError } from '../../shared/studio-error.ts';
import { readJson, writeFileAtomic, writeJsonAtomic } from './atomic-file.ts';
import { EditHistory } from './edit-history.ts';

export interface SyncState {
  /** Local avatar file hash → the hash the server stored it under (it optimises uploads). */
  avatars: Record<string, string>;
  /** Knowledge file SHA-256 → the server's document id: what is already uploaded is never sent again. */
  knowledge: Record<string, string>;
  /** Hash of the bundle as last synced; differs from the current one while there are local edits. */
  syncedBundleHash: string | null;
  /** A sync is waiting for the network. */
  queued: boolean;
}

export interface ProjectMeta {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  link: ServerLink | null;
  sync: SyncState;
}

/** A knowledge file as stored in documents.json: what the renderer sees, minus the server link, plus when. */
export type KnowledgeFileRecord = Omit<KnowledgeDocumentSummary, 'syncedDocumentId'> & { importedAt: string };

interface OpenProject {
  meta: ProjectMeta;
  bundle: BotBundle;
  history: EditHistory<BotBundle>;
}

const THUMBNAIL = 'thumbnail.png';

export const sha256Hex = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
export const bundleHash = (bundle: BotBundle) => sha256Hex(JSON.stringify(bundle));

/** Bundle validation failures as field errors under `bundle.`, the way the server names them. */
export function validBundleOrThrow(document: unknown): BotBundle {
  const result = validateBotBundle(document);
  if (result.ok) return result.bundle;
  throw StudioError.invalid(result.errors.map((e) => ({ field: `bundle.${e.path}`, message: e.message })));
}

export class ProjectStore {
  private readonly open = new Map<string, OpenProject>();

  constructor(readonly workspaceDir: string) {}

  private get projectsDir(): string {
    return path.join(this.workspaceDir, 'projects');
  }

  projectDir(id: string): string {
    // ids are validated as UUIDs at the IPC boundary; the check here keeps any other caller honest.
    if (!/^[0-9a-f-]{36}$/.test(id)) throw StudioError.notFound('Project');
    return path.join(this.projectsDir, id);
  }

  async list(): Promise<ProjectMeta[]> {
    await mkdir(this.projectsDir, { recursive: true });
    const entries = await readdir(this.projectsDir, { withFileTypes: true });
    const metas = await Promise.all(
      entries.filter((e) => e.isDirectory()).map((e) => readJson<ProjectMeta>(path.join(this.projectsDir, e.name, 'project.json')).catch(() => null)),
    );
    return metas.filter((m): m is ProjectMeta => m !== null).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  async create(name: string): Promise<ProjectMeta> {
    let bundle: BotBundle;
    try {
      bundle = defaultBotBundle(name);
    } catch (error) {
      throw new StudioError('BAD_USER_INPUT', 'The name is not a valid bot name.', [{ field: 'name', message: 'is not a valid bot name' }], { cause: error });
    }
    return this.createFolder(bundle, async (dir) => {
      await mkdir(path.join(dir, 'avatars'), { recursive: true });
      await mkdir(path.join(dir, 'knowledge'), { recursive: true });
    });
  }

  /**
   * A new, local-only project with the same bundle (named "… (copy)"), avatars, knowledge files and
   * thumbnail. Not the server link or sync state: the copy is another bot. Not the index either:
   * it is derived data, rebuilt from the copied files on first use.
   */
  async duplicate(id: string): Promise<ProjectMeta> {
    const source = await this.load(id);
    const bundle = validBundleOrThrow({ ...source.bundle, name: `${source.bundle.name.slice(0, 73)} (copy)` });
    const from = this.projectDir(id);
    return this.createFolder(bundle, async (dir) => {
      for (const part of ['avatars', 'knowledge']) await cp(path.join(from, part), path.join(dir, part), { recursive: true });
      await cp(path.join(from, THUMBNAIL), path.join(dir, THUMBNAIL)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error; // no thumbnail yet: nothing to copy
      });
    });
  }

  /** Deletes the project's folder; the caller closes what it opened there (the index) first. */
  async remove(id: string): Promise<void> {
    await this.load(id);
    this.open.delete(id);
    await rm(this.projectDir(id), { recursive: true, force: true });
  }

  async saveThumbnail(id: string, png: Uint8Array): Promise<void> {
    await this.load(id);
    await writeFileAtomic(path.join(this.projectDir(id), THUMBNAIL), png);
  }

  /** The gallery's picture of the project, or null before the renderer took one. */
  async thumbnail(id: string): Promise<Uint8Array | null> {
    return readFile(path.join(this.projectDir(id), THUMBNAIL)).then(
      (bytes) => new Uint8Array(bytes),
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      },
    );
  }

  private async createFolder(bundle: BotBundle, fill: (dir: string) => Promise<void>): Promise<ProjectMeta> {
    const id = randomUUID();
    const now = new Date().toISOString();
    const meta: ProjectMeta = {
      id, name: bundle.name, createdAt: now, updatedAt: now, link: null,
      sync: { avatars: {}, knowledge: {}, syncedBundleHash: null, queued: false },
    };
    const dir = this.projectDir(id);
    await mkdir(dir, { recursive: true });
    await fill(dir);
    await writeJsonAtomic(path.join(dir, 'bundle.json'), bundle);
    // project.json last: a folder without it is an interrupted creation and is not listed.
    await writeJsonAtomic(path.join(dir, 'project.json'), meta);
    this.open.set(id, { meta, bundle, history: new EditHistory() });
    return meta;
  }

  private async load(id: string): Promise<OpenProject> {
    const cached = this.open.get(id);
    if (cached) return cached;
    const dir = this.projectDir(id);
    const meta = await readJson<ProjectMeta>(path.join(dir, 'project.json')).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw StudioError.notFound('Project');
      throw error;
    });
    const bundle = validBundleOrThrow(await readJson(path.join(dir, 'bundle.json')));
    const project = { meta, bundle, history: new EditHistory<BotBundle>() };
    this.open.set(id, project);
    return project;
  }

  async meta(id: string): Promise<ProjectMeta> {
    return (await this.load(id)).meta;
  }

  async bundle(id: string): Promise<BotBundle> {
    return (await this.load(id)).bundle;
  }

  async history(id: string): Promise<{ canUndo: boolean; canRedo: boolean; editSequence: number }> {
    const { history } = await this.load(id);
    return { canUndo: history.canUndo, canRedo: history.canRedo, editSequence: history.sequence };
  }

  /** Validates and saves a new draft, recording the old one for undo. An invalid draft changes nothing. */
  async updateBundle(id: string, document: unknown): Promise<BotBundle> {
    const project = await this.load(id);
    const next = validBundleOrThrow(document);
    if (bundleHash(next) === bundleHash(project.bundle)) return project.bundle;
    project.history.record(project.bundle);
    await this.saveBundle(project, next);
    return next;
  }

  async undo(id: string): Promise<BotBundle> {
    const project = await this.load(id);
    const previous = project.history.undo(project.bundle);
    if (previous) await this.saveBundle(project, previous);
    return project.bundle;
  }

  async redo(id: string): Promise<BotBundle> {
    const project = await this.load(id);
    const next = project.history.redo(project.bundle);
    if (next) await this.saveBundle(project, next);
    return project.bundle;
  }

  private async saveBundle(project: OpenProject, bundle: BotBundle): Promise<void> {
    await writeJsonAtomic(path.join(this.projectDir(project.meta.id), 'bundle.json'), bundle);
    project.bundle = bundle;
    await this.updateMeta(project.meta.id, (meta) => ({ ...meta, name: bundle.name }));
  }

  async updateMeta(id: string, change: (meta: ProjectMeta) => ProjectMeta): Promise<ProjectMeta> {
    const project = await this.load(id);
    const meta = { ...change(project.meta), updatedAt: new Date().toISOString() };
    await writeJsonAtomic(path.join(this.projectDir(id), 'project.json'), meta);
    project.meta = meta;
    return meta;
  }

  async saveAvatarFile(id: string, bytes: Uint8Array): Promise<string> {
    const hash = sha256Hex(bytes);
    await writeFileAtomic(path.join(this.projectDir(id), 'avatars', `${hash}.glb`), bytes);
    return hash;
  }

  async readAvatarFile(id: string, hash: string): Promise<Uint8Array> {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw StudioError.notFound('Avatar file');
    return new Uint8Array(await readFile(path.join(this.projectDir(id), 'avatars', `${hash}.glb`)));
  }

  private knowledgeDir(id: string): string {
    return path.join(this.projectDir(id), 'knowledge');
  }

  async knowledgeFiles(id: string): Promise<KnowledgeFileRecord[]> {
    return readJson<KnowledgeFileRecord[]>(path.join(this.knowledgeDir(id), 'documents.json')).catch(() => []);
  }

  async saveKnowledgeFiles(id: string, records: KnowledgeFileRecord[]): Promise<void> {
    await writeJsonAtomic(path.join(this.knowledgeDir(id), 'documents.json'), records);
    await this.updateMeta(id, (meta) => meta);
  }

  async writeKnowledgeFile(id: string, sha256: string, bytes: Uint8Array): Promise<void> {
    await writeFileAtomic(path.join(this.knowledgeDir(id), `${sha256}.bin`), bytes);
  }

  async readKnowledgeFile(id: string, sha256: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(path.join(this.knowledgeDir(id), `${sha256}.bin`)));
  }

  indexDir(id: string): string {
    return path.join(this.projectDir(id), 'index');
  }
}

// The main process's implementation of window.studio: composition of the workspace store, the
// avatar and knowledge libraries, the local chat and the sync engine. IPC handlers (ipc/) and the
// test bridge call it after validating sender and arguments; it never sees Electron.
import path from 'node:path';
import { ErrorCode } from '@mascot/contracts';
import type { BotBundle } from '@mascot/bot-bundle';
import type { ProjectState, StudioApi } from '../shared/studio-api.ts';
import { StudioError } from '../shared/studio-error.ts';
import { AvatarLibrary } from './avatar/avatar-library.ts';
import { reactionFor } from './avatar/avatar-reaction.ts';
import { CHAT_PASSAGES, answerLocally } from './chat/local-chat.ts';
import { ServerChat } from './chat/server-chat.ts';
import { StudioEventHub } from './ipc/event-hub.ts';
import { KnowledgeLibrary } from './knowledge/knowledge-library.ts';
import { ServerSession } from './sync/server-session.ts';
import type { SessionVault } from './sync/session-vault.ts';
import { SyncEngine } from './sync/sync-engine.ts';
import { SyncQueue } from './sync/sync-queue.ts';
import { ProjectStore, bundleHash } from './workspace/project-store.ts';
import { PreviewServer } from './preview/preview-server.ts';

/** The widget build in the repository (development and tests); the packaged app passes its own copy. */
const DEFAULT_WIDGET_DIST = path.resolve(import.meta.dirname, '../../../widget/dist');

export interface StudioCoreOptions {
  workspaceDir: string;
  /** Keep retrieval indexes in memory instead of the project folders (tests). */
  inMemoryIndex?: boolean;
  fetch?: typeof fetch;
  /** Where the server session's refresh token is kept (memory when absent). */
  sessionVault?: SessionVault;
  /** The clock token renewal plans with (tests move it). */
  now?: () => number;
  /** The widget's build output the live preview serves (`widget/dist`; the packaged app ships a copy). */
  widgetDist?: string;
  /** Opens a URL in the system browser (Electron's shell.openExternal); absent, "open a test page" only answers the URL. */
  openExternal?: (url: string) => Promise<void>;
  /** Hears about events that fail their schema (a bug): they are dropped, never sent. */
  onInvalidEvent?: (error: unknown) => void;
}

export interface StudioCore extends StudioApi {
  readonly queue: SyncQueue;
  /** What main pushes to the renderer; the window (or the test bridge) subscribes. */
  readonly events: StudioEventHub;
  /** Signs back in with the session an earlier run saved, if the vault kept one. */
  restoreSession(): Promise<void>;
  close(): Promise<void>;
}

export function createStudioCore(options: StudioCoreOptions): StudioCore {
  const store = new ProjectStore(options.workspaceDir);
  const avatars = new AvatarLibrary(store);
  const knowledge = new KnowledgeLibrary(store, { inMemoryIndex: options.inMemoryIndex ?? false });
  const events = new StudioEventHub(options.onInvalidEvent);
  const emit = events.emit.bind(events);
  const session = new ServerSession({
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.sessionVault ? { vault: options.sessionVault } : {}),
    ...(options.now ? { now: options.now } : {}),
    emit,
  });
  const sync: SyncEngine = new SyncEngine(store, session, (...status) => queue.report(...status));
  const queue = new SyncQueue(store, (projectId) => sync.sync(projectId), emit);
  const serverChat = new ServerChat(store, session, emit);
  const preview = new PreviewServer(
    {
      bundle: (projectId) => store.bundle(projectId),
      avatarBytes: (projectId, avatar) => avatars.bytes(projectId, avatar),
      async answer(projectId, bundle, question) {
        const reply = answerLocally(bundle, question, await knowledge.search(projectId, question, CHAT_PASSAGES));
        return { text: reply.text, sources: reply.citations };
      },
    },
    options.widgetDist ?? DEFAULT_WIDGET_DIST,
  );

  async function state(projectId: string): Promise<ProjectState> {
    const [meta, bundle, history] = [await store.meta(projectId), await store.bundle(projectId), await store.history(projectId)];
    return {
      id: meta.id,
      name: meta.name,
      bundle,
      avatar: await avatars.info(projectId, bundle.avatar),
      ...history,
      link: meta.link,
      // Unsynced: draft edits, or (once linked) files to upload and documents to delete on the server.
      dirty: meta.sync.syncedBundleHash !== bundleHash(bundle) || (meta.link !== null && (await sync.pendingWork(projectId)) > 0),
      queuedSync: meta.sync.queued,
    };
  }

  async function edit(projectId: string, change: (bundle: BotBundle) => Promise<BotBundle>): Promise<ProjectState> {
    await store.updateBundle(projectId, await change(await store.bundle(projectId)));
    return state(projectId);
  }

  return {
    queue,
    events,
    async restoreSession() {
      await session.restore();
    },
    async listProjects() {
      const metas = await store.list();
      return Promise.all(metas.map(async (m) => ({
        id: m.id, name: m.name, createdAt: m.createdAt, updatedAt: m.updatedAt, linked: m.link !== null, thumbnail: await store.thumbnail(m.id),
      })));
    },
    async createProject({ name }) {
      return state((await store.create(name)).id);
    },
    async duplicateProject(projectId) {
      return state((await store.duplicate(projectId)).id);
    },
    async deleteProject(projectId) {
      await knowledge.closeProject(projectId);
      await store.remove(projectId);
    },
    saveProjectThumbnail: (projectId, png) => store.saveThumbnail(projectId, png),
    openProject: state,
    async updateBundle(projectId, document) {
      await store.updateBundle(projectId, document);
      return state(projectId);
    },
    async undo(projectId) {
      await store.undo(projectId);
      return state(projectId);
    },
    async redo(projectId) {
      await store.redo(projectId);
      return state(projectId);
    },

    async listBuiltinAvatars() {
      return avatars.builtins();
    },
    useBuiltinAvatar: (projectId, avatarId) => edit(projectId, (bundle) => avatars.withBuiltin(bundle, avatarId)),
    importAvatar: (projectId, file) => edit(projectId, (bundle) => avatars.withImported(projectId, bundle, file.bytes)),
    async avatarBytes(projectId) {
      return avatars.bytes(projectId, (await store.bundle(projectId)).avatar);
    },
    suggestSlots: (projectId) => edit(projectId, (bundle) => avatars.withSuggestedSlots(projectId, bundle)),
    async reactTo(projectId, sentence) {
      return reactionFor((await store.bundle(projectId)).avatar.animationMap, { phase: 'listening', visitorText: sentence });
    },

    importKnowledge: (projectId, file) => knowledge.import(projectId, file.fileName, file.bytes),
    listKnowledge: (projectId) => knowledge.list(projectId),
    knowledgeChunks: (projectId, documentId) => knowledge.chunks(projectId, documentId),
    removeKnowledge: (projectId, documentId) => knowledge.remove(projectId, documentId),
    searchKnowledge: (projectId, query) => knowledge.search(projectId, query, 10),
    async chat(projectId, message) {
      const bundle = await store.bundle(projectId);
      return answerLocally(bundle, message, await knowledge.search(projectId, message, CHAT_PASSAGES));
    },
    chatOnServer: (projectId, input) => serverChat.reply(projectId, input),

    signIn: ({ serverUrl, email, password }) => session.signIn(serverUrl, email, password),
    async session() {
      return session.info();
    },
    async linkProject(projectId, botId) {
      await sync.link(projectId, botId);
      return state(projectId);
    },
    pendingDiff: (projectId) => sync.pendingDiff(projectId),
    sync: (projectId) => sync.sync(projectId),
    async syncStatus(projectId) {
      await store.meta(projectId); // an unknown project is NOT_FOUND, not "no status yet"
      return queue.status(projectId);
    },
    async resolveConflict(projectId, resolution) {
      const result = await sync.resolveConflict(projectId, resolution);
      if (result && result.status !== 'synced') throw new StudioError(ErrorCode.CONFLICT, result.message);
      return state(projectId);
    },
    publish: (projectId) => sync.publish(projectId),
    versions: (projectId) => sync.versions(projectId),
    versionDiff: (projectId, from, to) => sync.versionDiff(projectId, from, to),
    rollback: (projectId, version) => sync.rollback(projectId, version),

    async previewPage(projectId, request) {
      await store.meta(projectId); // an unknown project is NOT_FOUND
      return { url: await preview.pageUrl(projectId, request) };
    },
    async openTestPage(projectId, request) {
      await store.meta(projectId);
      const url = await preview.pageUrl(projectId, request);
      await options.openExternal?.(url);
      return { url };
    },

    async close() {
      queue.stop();
      await preview.close();
      await knowledge.close();
      await session.close();
    },
  };
}

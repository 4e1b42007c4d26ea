// The typed `window.studio` API: the only bridge between the renderer and the main process.
// Every method maps to one IPC channel (ipc-channels.ts) whose arguments are checked by a zod
// schema (ipc-schemas.ts) in the main process before anything runs.
import type { AnimationSlot, BotBundle, BundleChange } from '@mascot/bot-bundle';
import type { SyncStatus } from './studio-events.ts';

export type { StudioEvent, StudioEventListener, SyncStatus } from './studio-events.ts';

export interface ProjectSummary {
  id: string;
  name: string;
  createdAt: string;
  /** Last edited. */
  updatedAt: string;
  linked: boolean;
  /** A PNG of the avatar the renderer took (saveProjectThumbnail); null before the first one. */
  thumbnail: Uint8Array | null;
}

export interface ServerLink {
  serverUrl: string;
  botId: string;
  embedId: string;
  /** The server draft revision our last sync wrote or read: the version tag conflicts are detected with. */
  syncedRevision: number;
}

export interface AvatarInfo {
  kind: 'builtin' | 'uploaded';
  /** Built-in id or the local file's SHA-256. */
  ref: string;
  name: string;
  byteSize: number;
  triangleCount: number;
  clipNames: string[];
  budgets: { maxBytes: number; maxTriangles: number };
}

export interface ProjectState {
  id: string;
  name: string;
  bundle: BotBundle;
  avatar: AvatarInfo | null;
  canUndo: boolean;
  canRedo: boolean;
  /**
   * Edits, undos and redos of the bundle this session: answers can arrive out of order (an autosave's
   * after the undo that followed it), and the renderer keeps the state with the higher number.
   */
  editSequence: number;
  link: ServerLink | null;
  /** Local edits not yet on the server (or queued while offline). */
  dirty: boolean;
  queuedSync: boolean;
}

export interface KnowledgeDocumentSummary {
  id: string;
  title: string;
  fileName: string;
  format: string;
  sha256: string;
  byteSize: number;
  chunkCount: number;
  warnings: string[];
  syncedDocumentId: string | null;
}

export interface KnowledgeChunkView {
  id: string;
  index: number;
  sectionPath: string[];
  page: number | null;
  text: string;
  tokenCount: number;
}

export interface SearchHit {
  id: string;
  documentId: string;
  documentTitle: string;
  sectionPath: string[];
  page: number | null;
  text: string;
  /** Cosine similarity to the query, 0..1. */
  score: number;
}

export interface ChatCitation {
  marker: number;
  documentTitle: string;
  sectionPath: string[];
  page: number | null;
  snippet: string;
}

export interface AvatarReaction {
  slot: AnimationSlot;
  /** The clip that plays, following the fallback chain; null when the avatar has none. */
  clip: string | null;
  intensity: number;
  reason: string;
  sentiment: number;
  intent: string;
}

export interface ChatReply {
  text: string;
  grounded: boolean;
  citations: ChatCitation[];
  reaction: AvatarReaction;
  /** Server chat only: who answered and what it cost (counted in the tenant's AI spend). Null for local answers. */
  served: { provider: string; model: string; costMicroUsd: number } | null;
}

export interface ChatTurn {
  role: 'visitor' | 'bot';
  text: string;
}

/** Earlier turns a server chat reply sees: as many as the server gives a visitor conversation's provider. */
export const SERVER_CHAT_HISTORY_TURNS = 10;

export interface SessionInfo {
  serverUrl: string;
  email: string;
  tenantName: string;
}

export interface SyncResult {
  status: 'synced' | 'conflict' | 'queued';
  revision: number | null;
  uploadedKnowledge: number;
  skippedKnowledge: number;
  /** Knowledge documents deleted on the server because their files were removed here. */
  deletedKnowledge: number;
  avatarUploaded: boolean;
  /** On conflict: what the server's draft has that ours does not (our draft is left untouched). */
  conflict: { serverRevision: number; expectedRevision: number; changes: BundleChange[] } | null;
  message: string;
}

export interface VersionInfo {
  number: number;
  publishedAt: string;
  rolledBackFrom: number | null;
  knowledgeDocumentCount: number;
}

export interface VersionDiff {
  from: number;
  to: number;
  changes: BundleChange[];
  knowledgeAdded: number;
  knowledgeRemoved: number;
}

export interface PublishResult {
  version: VersionInfo;
  /** Against the version that was live before; null for the first publication. */
  diff: VersionDiff | null;
}

export interface PendingDiff {
  /** Local draft against the live version on the server (or against nothing yet published). */
  liveVersion: number | null;
  changes: BundleChange[];
}

export interface PreviewRequest {
  /** The A/B variant to show; null for the bot itself (with variants: the one a new visitor happens to get). */
  variantId: string | null;
  /** The mock host page's path (placement patterns are tried on it), e.g. `/help/returns`. */
  pagePath: string;
}

export interface StudioApi {
  listProjects(): Promise<ProjectSummary[]>;
  createProject(input: { name: string }): Promise<ProjectState>;
  openProject(projectId: string): Promise<ProjectState>;
  /** A local copy: bundle, avatars, knowledge and thumbnail; not the server link. */
  duplicateProject(projectId: string): Promise<ProjectState>;
  /** Deletes the project's folder (its server bot, if linked, stays). */
  deleteProject(projectId: string): Promise<void>;
  saveProjectThumbnail(projectId: string, png: Uint8Array): Promise<void>;
  updateBundle(projectId: string, bundle: unknown): Promise<ProjectState>;
  undo(projectId: string): Promise<ProjectState>;
  redo(projectId: string): Promise<ProjectState>;

  listBuiltinAvatars(): Promise<{ id: string; name: string; description: string }[]>;
  useBuiltinAvatar(projectId: string, avatarId: string): Promise<ProjectState>;
  importAvatar(projectId: string, file: { fileName: string; bytes: Uint8Array }): Promise<ProjectState>;
  avatarBytes(projectId: string): Promise<Uint8Array | null>;
  suggestSlots(projectId: string): Promise<ProjectState>;
  reactTo(projectId: string, sentence: string): Promise<AvatarReaction>;

  importKnowledge(projectId: string, file: { fileName: string; bytes: Uint8Array }): Promise<KnowledgeDocumentSummary>;
  listKnowledge(projectId: string): Promise<KnowledgeDocumentSummary[]>;
  knowledgeChunks(projectId: string, documentId: string): Promise<KnowledgeChunkView[]>;
  removeKnowledge(projectId: string, documentId: string): Promise<KnowledgeDocumentSummary[]>;
  searchKnowledge(projectId: string, query: string): Promise<SearchHit[]>;
  chat(projectId: string, message: string): Promise<ChatReply>;
  /**
   * Asks the linked bot on the server: its draft as edited here, through the tenant's provider chain.
   * Tokens arrive as `chatDelta` events carrying `replyId` while the call runs; it resolves with the whole reply.
   */
  chatOnServer(projectId: string, input: { message: string; replyId: string; history: ChatTurn[] }): Promise<ChatReply>;

  signIn(input: { serverUrl: string; email: string; password: string }): Promise<SessionInfo>;
  session(): Promise<SessionInfo | null>;
  linkProject(projectId: string, botId?: string): Promise<ProjectState>;
  pendingDiff(projectId: string): Promise<PendingDiff>;
  sync(projectId: string): Promise<SyncResult>;
  /** The last state the sync queue reported for the project (also pushed as `syncStatus` events). */
  syncStatus(projectId: string): Promise<SyncStatus | null>;
  /** Ends a sync conflict explicitly: overwrite the server's draft, or take it over the local one. */
  resolveConflict(projectId: string, resolution: 'keep-local' | 'take-server'): Promise<ProjectState>;
  publish(projectId: string): Promise<PublishResult>;
  versions(projectId: string): Promise<VersionInfo[]>;
  versionDiff(projectId: string, from: number, to: number): Promise<VersionDiff>;
  rollback(projectId: string, version: number): Promise<PublishResult>;

  /** A local page running the real widget build against the draft (the live preview). */
  previewPage(projectId: string, request: PreviewRequest): Promise<{ url: string }>;
  /** Opens that page in the system browser, to try the draft as a visitor would. */
  openTestPage(projectId: string, request: PreviewRequest): Promise<{ url: string }>;
}

export type StudioMethod = keyof StudioApi;

// Linking a local project to a bot on a Mascot server, syncing it, publishing, diffs and rollback.
//
// Sync is content-addressed and resumable: avatar files and knowledge files are uploaded only when
// their SHA-256 is not yet recorded as on the server, and each upload is recorded as soon as it
// succeeds, so an interrupted sync resumes where it stopped. The draft goes last, with the server
// revision our previous sync saw as `expectedRevision`: if anyone changed the bot on the server
// since, the server answers CONFLICT and we show what differs instead of overwriting it.
// When the server cannot be reached the sync is queued and retried (SyncQueue).
//
// Knowledge files removed here are deleted on the server by the next sync, after the draft went
// through: a conflict stops every change of ours, deletions included, until the designer resolves it.
// Only documents this project uploaded are ever deleted (the ones recorded in its sync state).
import { ErrorCode } from '@mascot/contracts';
import { defaultBotBundle, diffBotBundles, validateBotBundle, type BotBundle } from '@mascot/bot-bundle';
import {
  StudioBotDocument,
  StudioBotVersionDiffDocument,
  StudioBotVersionsDocument,
  StudioCreateAvatarUploadDocument,
  StudioCreateBotDocument,
  StudioCreateKnowledgeUploadDocument,
  StudioDeleteKnowledgeDocumentDocument,
  StudioIngestionJobDocument,
  StudioPublishBotDocument,
  StudioRollbackBotDocument,
  StudioUpdateBotDraftDocument,
  type MascotClient,
} from '@mascot/sdk';
import type { PendingDiff, PublishResult, SyncResult, VersionDiff, VersionInfo } from '../../shared/studio-api.ts';
import { StudioError } from '../../shared/studio-error.ts';
import { bundleHash, sha256Hex, type ProjectMeta, type ProjectStore } from '../workspace/project-store.ts';
import { OfflineError, callServer, toStudioError, type ServerSession } from './server-session.ts';
import type { SyncState } from './sync-queue.ts';

/** Where the engine reports its progress and outcome (the SyncQueue, which pushes it to the renderer). */
export type SyncReport = (projectId: string, state: SyncState, pendingUploads: number, message: string) => void;

/** How often and how long to wait for the server to finish ingesting an uploaded knowledge file. */
const INGESTION_POLL_MS = 100;
const INGESTION_POLLS = 600;

export type ConflictResolution = 'keep-local' | 'take-server';

interface Linked {
  meta: ProjectMeta & { link: NonNullable<ProjectMeta['link']> };
  client: MascotClient;
}

export class SyncEngine {
  constructor(
    private readonly store: ProjectStore,
    private readonly session: ServerSession,
    private readonly report: SyncReport = () => {},
  ) {}

  /** Files still to upload (avatar, knowledge) plus server documents still to delete. */
  async pendingWork(projectId: string): Promise<number> {
    const [meta, bundle, files] = [await this.store.meta(projectId), await this.store.bundle(projectId), await this.store.knowledgeFiles(projectId)];
    const avatar = bundle.avatar.kind === 'uploaded' && !meta.sync.avatars[bundle.avatar.assetHash] ? 1 : 0;
    const uploads = files.filter((file) => !meta.sync.knowledge[file.sha256]).length;
    return avatar + uploads + this.removedKnowledge(meta, files).length;
  }

  /** Uploaded documents whose files are no longer in the project: [file hash, server document id]. */
  private removedKnowledge(meta: ProjectMeta, files: { sha256: string }[]): [string, string][] {
    const local = new Set(files.map((file) => file.sha256));
    return Object.entries(meta.sync.knowledge).filter(([sha256]) => !local.has(sha256));
  }

  private async progress(projectId: string): Promise<void> {
    const pending = await this.pendingWork(projectId);
    this.report(projectId, 'syncing', pending, pending > 0 ? `Syncing: ${pending} file${pending === 1 ? '' : 's'} to go.` : 'Syncing the draft.');
  }

  private async linked(projectId: string): Promise<Linked> {
    const meta = await this.store.meta(projectId);
    if (!meta.link) throw new StudioError(ErrorCode.BAD_USER_INPUT, 'Link the project to a bot on a Mascot server first.', [{ field: 'project', message: 'is not linked to a server' }]);
    return { meta: meta as Linked['meta'], client: this.session.client(meta.link.serverUrl) };
  }

  /** Links the project to an existing bot, or creates one named after the project. */
  async link(projectId: string, botId?: string): Promise<ProjectMeta> {
    const info = this.session.info();
    const client = this.session.client();
    const bundle = await this.store.bundle(projectId);
    const bot = botId
      ? (await callServer(() => client.request(StudioBotDocument, { id: botId }))).bot
      : (await callServer(() => client.request(StudioCreateBotDocument, { input: { name: bundle.name } }))).createBot;
    return this.store.updateMeta(projectId, (meta) => ({
      ...meta,
      // The revision we start from: our next sync replaces exactly this draft, or reports a conflict.
      link: { serverUrl: info!.serverUrl, botId: bot.id, embedId: bot.embedId, syncedRevision: bot.draftRevision },
      sync: { avatars: {}, knowledge: {}, syncedBundleHash: null, queued: false },
    }));
  }

  /** The bundle as the server must see it: an imported avatar is addressed by the hash the server gave it. */
  private serverBundle(bundle: BotBundle, meta: ProjectMeta): BotBundle {
    if (bundle.avatar.kind !== 'uploaded') return bundle;
    const serverHash = meta.sync.avatars[bundle.avatar.assetHash];
    return serverHash ? { ...bundle, avatar: { ...bundle.avatar, assetHash: serverHash } } : bundle;
  }

  async sync(projectId: string): Promise<SyncResult> {
    let result: SyncResult;
    try {
      result = await this.push(projectId);
    } catch (error) {
      if (!(error instanceof OfflineError)) {
        this.report(projectId, 'failed', await this.pendingWork(projectId).catch(() => 0), toStudioError(error).message);
        throw error;
      }
      await this.store.updateMeta(projectId, (meta) => ({ ...meta, sync: { ...meta.sync, queued: true } }));
      result = {
        status: 'queued', revision: null, uploadedKnowledge: 0, skippedKnowledge: 0, deletedKnowledge: 0, avatarUploaded: false, conflict: null,
        message: 'The server cannot be reached; the sync is queued and runs when the network is back.',
      };
    }
    const state = result.status === 'queued' ? 'waiting-for-network' : result.status;
    this.report(projectId, state, await this.pendingWork(projectId), result.message);
    return result;
  }

  private async push(projectId: string, force = false): Promise<SyncResult> {
    const { meta, client } = await this.linked(projectId);
    await this.progress(projectId);
    const avatarUploaded = await this.uploadAvatar(projectId, client);
    const knowledge = await this.uploadKnowledge(projectId, client);
    const current = await this.store.meta(projectId);
    const local = await this.store.bundle(projectId);
    const outgoing = this.serverBundle(local, current);
    let expectedRevision = meta.link.syncedRevision;
    if (force) expectedRevision = (await callServer(() => client.request(StudioBotDocument, { id: meta.link.botId }))).bot.draftRevision;
    try {
      const { updateBotDraft } = await callServer(() =>
        client.request(StudioUpdateBotDraftDocument, { botId: meta.link.botId, bundle: outgoing as unknown as Record<string, unknown>, expectedRevision }),
      );
      await this.store.updateMeta(projectId, (m) => ({
        ...m,
        link: { ...m.link!, syncedRevision: updateBotDraft.draftRevision },
        sync: { ...m.sync, syncedBundleHash: bundleHash(local), queued: false },
      }));
      const deletedKnowledge = await this.deleteRemovedKnowledge(projectId, client);
      return {
        status: 'synced', revision: updateBotDraft.draftRevision, uploadedKnowledge: knowledge.uploaded, skippedKnowledge: knowledge.skipped,
        deletedKnowledge, avatarUploaded, conflict: null, message: `Synced as draft revision ${updateBotDraft.draftRevision}.`,
      };
    } catch (error) {
      if (!(error instanceof StudioError) || error.code !== ErrorCode.CONFLICT) throw error;
      const { bot } = await callServer(() => client.request(StudioBotDocument, { id: meta.link.botId }));
      const theirs = validateBotBundle(bot.draft);
      await this.store.updateMeta(projectId, (m) => ({ ...m, sync: { ...m.sync, queued: false } }));
      return {
        status: 'conflict', revision: bot.draftRevision, uploadedKnowledge: knowledge.uploaded, skippedKnowledge: knowledge.skipped, deletedKnowledge: 0, avatarUploaded,
        conflict: { serverRevision: bot.draftRevision, expectedRevision, changes: theirs.ok ? diffBotBundles(outgoing, theirs.bundle) : [] },
        message: `Someone changed this bot on the server (revision ${bot.draftRevision}, you synced ${expectedRevision}). Nothing was overwritten.`,
      };
    }
  }

  /**
   * Deletes on the server the documents whose files were removed here, recording each at once so an
   * interrupted sync resumes. One already gone on the server (deleted in the admin) counts as done.
   */
  private async deleteRemovedKnowledge(projectId: string, client: MascotClient): Promise<number> {
    const removed = this.removedKnowledge(await this.store.meta(projectId), await this.store.knowledgeFiles(projectId));
    for (const [sha256, documentId] of removed) {
      await callServer(() => client.request(StudioDeleteKnowledgeDocumentDocument, { id: documentId })).catch((error: unknown) => {
        if (!(error instanceof StudioError && error.code === ErrorCode.NOT_FOUND)) throw error;
      });
      await this.store.updateMeta(projectId, (m) => {
        const { [sha256]: _deleted, ...knowledge } = m.sync.knowledge;
        return { ...m, sync: { ...m.sync, knowledge } };
      });
      await this.progress(projectId);
    }
    return removed.length;
  }

  /** Ends a conflict explicitly: overwrite the server's draft with ours, or replace ours with the server's. */
  async resolveConflict(projectId: string, resolution: ConflictResolution): Promise<SyncResult | null> {
    if (resolution === 'keep-local') {
      const result = await this.push(projectId, true);
      this.report(projectId, result.status === 'conflict' ? 'conflict' : 'synced', await this.pendingWork(projectId), result.message);
      return result;
    }
    const { meta, client } = await this.linked(projectId);
    const { bot } = await callServer(() => client.request(StudioBotDocument, { id: meta.link.botId }));
    const theirs = validateBotBundle(bot.draft);
    if (!theirs.ok) throw new StudioError(ErrorCode.CONFLICT, "The server's draft is not a bundle this Studio can read; update Studio.");
    if (theirs.bundle.avatar.kind === 'uploaded') {
      // Server hashes address files by content: a download keeps its hash locally too.
      const hash = theirs.bundle.avatar.assetHash;
      const bytes = await this.download(`${meta.link.serverUrl}/assets/avatars/${hash}.glb`);
      await this.store.saveAvatarFile(projectId, bytes);
      await this.store.updateMeta(projectId, (m) => ({ ...m, sync: { ...m.sync, avatars: { ...m.sync.avatars, [hash]: hash } } }));
    }
    await this.store.updateBundle(projectId, theirs.bundle);
    await this.store.updateMeta(projectId, (m) => ({
      ...m,
      link: { ...m.link!, syncedRevision: bot.draftRevision },
      sync: { ...m.sync, syncedBundleHash: bundleHash(theirs.bundle), queued: false },
    }));
    this.report(projectId, 'synced', await this.pendingWork(projectId), `Took the server's draft (revision ${bot.draftRevision}).`);
    return null;
  }

  private async download(url: string): Promise<Uint8Array> {
    const response = await callServer(() => this.session.fetch(url));
    if (!response.ok) throw new StudioError(ErrorCode.NOT_FOUND, `The server has no file at ${url}.`);
    return new Uint8Array(await response.arrayBuffer());
  }

  /** PUTs bytes to a signed upload URL; answers the JSON body, or throws the server's error. */
  private async put(url: string, bytes: Uint8Array, contentType: string): Promise<Record<string, unknown>> {
    const response = await callServer(() =>
      this.session.fetch(url, { method: 'PUT', headers: { 'content-type': contentType }, body: bytes as unknown as BodyInit }),
    );
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const error = (body['error'] ?? {}) as { code?: string; message?: string };
      throw new StudioError(ErrorCode.BAD_USER_INPUT, `The server refused the upload: ${error.message ?? response.status}`);
    }
    return body;
  }

  private async uploadAvatar(projectId: string, client: MascotClient): Promise<boolean> {
    const [bundle, meta] = [await this.store.bundle(projectId), await this.store.meta(projectId)];
    if (bundle.avatar.kind !== 'uploaded' || meta.sync.avatars[bundle.avatar.assetHash]) return false;
    const localHash = bundle.avatar.assetHash;
    const bytes = await this.store.readAvatarFile(projectId, localHash);
    const { createAvatarUpload } = await callServer(() =>
      client.request(StudioCreateAvatarUploadDocument, { input: { fileName: `${bundle.name}.glb`, byteSize: bytes.byteLength } }),
    );
    const body = await this.put(createAvatarUpload.uploadUrl, bytes, 'model/gltf-binary');
    const serverHash = String((body['avatar'] as { contentHash: string }).contentHash);
    await this.store.updateMeta(projectId, (m) => ({ ...m, sync: { ...m.sync, avatars: { ...m.sync.avatars, [localHash]: serverHash } } }));
    await this.progress(projectId);
    return true;
  }

  private async uploadKnowledge(projectId: string, client: MascotClient): Promise<{ uploaded: number; skipped: number }> {
    const { link, sync } = await this.store.meta(projectId);
    let uploaded = 0;
    let skipped = 0;
    for (const record of await this.store.knowledgeFiles(projectId)) {
      if (sync.knowledge[record.sha256]) {
        skipped += 1;
        continue;
      }
      const bytes = await this.store.readKnowledgeFile(projectId, record.sha256);
      if (sha256Hex(bytes) !== record.sha256) throw new StudioError(ErrorCode.CONFLICT, `The stored copy of ${record.fileName} changed on disk; import it again.`);
      const { createKnowledgeUpload } = await callServer(() =>
        client.request(StudioCreateKnowledgeUploadDocument, {
          botId: link!.botId,
          input: { fileName: record.fileName, byteSize: bytes.byteLength, title: record.title },
        }),
      );
      await this.put(createKnowledgeUpload.uploadUrl, bytes, 'application/octet-stream');
      const documentId = await this.awaitIngestion(client, createKnowledgeUpload.job.id, record.fileName);
      // Recorded at once: a sync interrupted after this file does not upload it again.
      await this.store.updateMeta(projectId, (m) => ({ ...m, sync: { ...m.sync, knowledge: { ...m.sync.knowledge, [record.sha256]: documentId } } }));
      uploaded += 1;
      await this.progress(projectId);
    }
    return { uploaded, skipped };
  }

  private async awaitIngestion(client: MascotClient, jobId: string, fileName: string): Promise<string> {
    for (let poll = 0; poll < INGESTION_POLLS; poll += 1) {
      const { ingestionJob: job } = await callServer(() => client.request(StudioIngestionJobDocument, { id: jobId }));
      if (job.status === 'SUCCEEDED' && job.documentId) return job.documentId;
      if (job.status === 'FAILED' || job.status === 'CANCELLED') {
        throw new StudioError(ErrorCode.BAD_USER_INPUT, `The server could not ingest ${fileName}: ${job.errorMessage ?? job.errorCode ?? job.status}`);
      }
      await new Promise((resolve) => setTimeout(resolve, INGESTION_POLL_MS));
    }
    throw new StudioError(ErrorCode.SERVICE_UNAVAILABLE, `The server is still ingesting ${fileName}; sync again later.`);
  }

  private async liveVersion(client: MascotClient, botId: string) {
    return (await callServer(() => client.request(StudioBotDocument, { id: botId }))).bot.liveVersion;
  }

  /** What publishing now would change for visitors: our draft against the live version. */
  async pendingDiff(projectId: string): Promise<PendingDiff> {
    const { meta, client } = await this.linked(projectId);
    const live = await this.liveVersion(client, meta.link.botId);
    const local = this.serverBundle(await this.store.bundle(projectId), meta);
    // Nothing published yet: everything that differs from a new bot of the same name goes live.
    if (!live) return { liveVersion: null, changes: diffBotBundles(defaultBotBundle(local.name), local) };
    const liveBundle = validateBotBundle(live.config);
    return { liveVersion: live.number, changes: liveBundle.ok ? diffBotBundles(liveBundle.bundle, local) : [] };
  }

  async publish(projectId: string): Promise<PublishResult> {
    const synced = await this.sync(projectId);
    if (synced.status !== 'synced') throw new StudioError(synced.status === 'conflict' ? ErrorCode.CONFLICT : ErrorCode.SERVICE_UNAVAILABLE, synced.message);
    const { meta, client } = await this.linked(projectId);
    const before = await this.liveVersion(client, meta.link.botId);
    const { publishBot } = await callServer(() => client.request(StudioPublishBotDocument, { botId: meta.link.botId }));
    return this.published(projectId, publishBot.number, before?.number ?? null);
  }

  async rollback(projectId: string, version: number): Promise<PublishResult> {
    const { meta, client } = await this.linked(projectId);
    const before = await this.liveVersion(client, meta.link.botId);
    const { rollbackBot } = await callServer(() => client.request(StudioRollbackBotDocument, { botId: meta.link.botId, version }));
    return this.published(projectId, rollbackBot.number, before?.number ?? null);
  }

  private async published(projectId: string, number: number, previous: number | null): Promise<PublishResult> {
    const versions = await this.versions(projectId);
    const version = versions.find((v) => v.number === number)!;
    return { version, diff: previous === null ? null : await this.versionDiff(projectId, previous, number) };
  }

  async versions(projectId: string): Promise<VersionInfo[]> {
    const { meta, client } = await this.linked(projectId);
    const { botVersions } = await callServer(() => client.request(StudioBotVersionsDocument, { botId: meta.link.botId, first: 50 }));
    return botVersions.edges.map(({ node }) => ({
      number: node.number, publishedAt: node.publishedAt, rolledBackFrom: node.rolledBackFrom ?? null, knowledgeDocumentCount: node.knowledgeDocumentCount,
    }));
  }

  async versionDiff(projectId: string, from: number, to: number): Promise<VersionDiff> {
    const { meta, client } = await this.linked(projectId);
    const { botVersionDiff: diff } = await callServer(() => client.request(StudioBotVersionDiffDocument, { botId: meta.link.botId, from, to }));
    return {
      from: diff.from.number,
      to: diff.to.number,
      changes: diff.changes.map((c) => ({ kind: c.kind.toLowerCase(), path: c.path, before: c.before, after: c.after })) as VersionDiff['changes'],
      knowledgeAdded: diff.knowledgeAdded.length,
      knowledgeRemoved: diff.knowledgeRemoved.length,
    };
  }
}

import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import { suggestSlotMapping, type SlotMapping } from '@mascot/avatar-core';
import { detectFaceMorphTargets } from '@mascot/glb-rules';
import { z } from 'zod';
import type { TenantActor } from '../../core/auth/index.ts';
import { inTenant, listInTenant, mapNodes, type KeysetRequest, type Page } from '../../core/db/index.ts';
import { createUploadSigner, type UploadGrant, type UploadSigner } from '../../core/http/index.ts';
import { DomainError, parseId, parseInput } from '../../core/errors/index.ts';
import type { IsolationLimits } from '../../core/isolation/index.ts';
import { AvatarAsset } from './avatar-asset.entity.ts';
import type { AvatarStorage, StoredAvatarFile } from './avatar-storage.ts';
import { isContentHash } from './avatar-storage.ts';
import { AvatarUpload } from './avatar-upload.entity.ts';
import { AvatarRejection, avatarRejected, UploadRefusal, uploadRefused } from './avatars.errors.ts';
import type { BuiltinAvatarCatalogue, BuiltinAvatarRecord } from './builtin-avatars.ts';
import { DEFAULT_AVATAR_PROCESSING_LIMITS, processAvatarInWorker } from './avatar-processing.ts';
import { DEFAULT_AVATAR_BUDGETS, type AvatarBudgets } from './glb-validation.ts';
import { createProcessingLimit } from './processing-limit.ts';

/** Where the routes live; the service builds URLs to them. */
export const AVATAR_UPLOAD_PATH = '/uploads/avatars';
export const AVATAR_ASSET_PATH = '/assets/avatars';

const UPLOAD_TTL_MS = 5 * 60_000;
/** Uploads allowed to wait for processing per instance; beyond it a PUT is refused (503) before using its URL up. */
const MAX_WAITING_UPLOADS = 8;
const MAX_NAME_LENGTH = 120;

export interface AvatarsServiceOptions {
  storage: AvatarStorage;
  builtins: BuiltinAvatarCatalogue;
  /** The server secret upload URL signatures derive their own key from (the JWT secret will do). */
  uploadSecret: string | Uint8Array;
  /** Base URL of this server (PUBLIC_URL or the listening URL), for upload and asset URLs. */
  publicUrl: () => string;
  budgets?: Partial<AvatarBudgets>;
  /** How long an upload URL stays valid; 5 minutes. */
  uploadTtlMs?: number;
  /** Uploads validated and optimised at once by this instance; 2. */
  processingConcurrency?: number;
  /** Time and memory of each upload's processing, in its worker thread (DEFAULT_AVATAR_PROCESSING_LIMITS). */
  processingLimits?: IsolationLimits;
}

/** An avatar as the API shows it. */
export interface AvatarView {
  id: string;
  name: string;
  contentHash: string;
  url: string;
  originalBytes: number;
  optimizedBytes: number;
  triangleCount: number;
  clipNames: string[];
  morphTargets: string[];
  mouthMorphTargets: string[];
  blinkMorphTargets: string[];
  suggestedMapping: SlotMapping;
  createdAt: Date;
}

export interface BuiltinAvatarView extends BuiltinAvatarRecord {
  url: string;
  mouthMorphTargets: string[];
  blinkMorphTargets: string[];
}

export interface CreatedAvatarUpload {
  uploadId: string;
  uploadUrl: string;
  expiresAt: Date;
  maxBytes: number;
}

export interface CompletedAvatarUpload {
  avatar: AvatarView;
  /** False when the tenant already had an avatar with identical optimised bytes (it is returned instead). */
  created: boolean;
}

const createUploadSchema = z.object({
  fileName: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    // eslint-disable-next-line no-control-regex
    .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'must not contain control characters'),
  byteSize: z.number().int('must be a whole number of bytes').min(1, 'must be at least 1 byte'),
});

/** "Robot v2.glb" → "Robot v2"; a path a browser sent ("C:\\fakepath\\x.glb") keeps only the file name. */
function avatarNameFrom(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const name = base.slice(0, base.length - path.extname(base).length).trim() || base.trim();
  return (name || 'Avatar').slice(0, MAX_NAME_LENGTH);
}

/**
 * Tenants' avatars: upload URLs (two-step upload: createUpload, then a PUT of the bytes to the
 * signed URL), validation and optimisation of what arrives, content-addressed storage, and the
 * built-in characters. Stored files are public by hash (README.md: the widget loads them for
 * anonymous visitors); the rows saying which tenant owns which avatar are tenant-scoped.
 */
export class AvatarsService {
  readonly budgets: AvatarBudgets;
  private readonly signer: UploadSigner;
  private readonly uploadTtlMs: number;
  private readonly limit: ReturnType<typeof createProcessingLimit>;

  constructor(private readonly options: AvatarsServiceOptions) {
    this.budgets = { ...DEFAULT_AVATAR_BUDGETS, ...options.budgets };
    this.signer = createUploadSigner(options.uploadSecret, 'avatar');
    this.uploadTtlMs = options.uploadTtlMs ?? UPLOAD_TTL_MS;
    this.limit = createProcessingLimit(options.processingConcurrency ?? 2);
  }

  assetUrl(hash: string): string {
    return `${this.options.publicUrl()}${AVATAR_ASSET_PATH}/${hash}.glb`;
  }

  /** Step one: a signed, single-use URL for one PUT of at most `byteSize` bytes, valid for 5 minutes. */
  async createUpload(em: EntityManager, actor: TenantActor, input: z.input<typeof createUploadSchema>): Promise<CreatedAvatarUpload> {
    const data = parseInput(createUploadSchema, input);
    if (data.byteSize > this.budgets.maxUploadBytes) {
      throw avatarRejected(AvatarRejection.TOO_LARGE, `The file is ${data.byteSize} bytes; at most ${this.budgets.maxUploadBytes} are allowed.`, {
        byteSize: data.byteSize,
        maxBytes: this.budgets.maxUploadBytes,
        fieldErrors: [{ field: 'byteSize', message: `must be at most ${this.budgets.maxUploadBytes}` }],
      });
    }
    // Whole seconds: the URL carries the expiry in seconds and the row must agree with it.
    const expiresAt = new Date(Math.floor((Date.now() + this.uploadTtlMs) / 1000) * 1000);
    const grant: UploadGrant = { tenantId: actor.tenantId, uploadId: randomUUID(), expiresAt, maxBytes: data.byteSize };
    await inTenant(em, actor.tenantId, async (tx) => {
      // Housekeeping: intents expired for a day are of no further use.
      await tx.nativeDelete(AvatarUpload, { expiresAt: { $lt: new Date(Date.now() - 86_400_000) } });
      tx.create(AvatarUpload, {
        id: grant.uploadId,
        tenantId: actor.tenantId,
        fileName: data.fileName,
        maxBytes: data.byteSize,
        createdBy: actor.kind === 'user' ? actor.userId : null,
        expiresAt,
        consumedAt: null,
        avatarId: null,
      });
      await tx.flush();
    });
    const uploadUrl = `${this.options.publicUrl()}${AVATAR_UPLOAD_PATH}/${grant.uploadId}?${this.signer.query(grant)}`;
    return { uploadId: grant.uploadId, uploadUrl, expiresAt, maxBytes: data.byteSize };
  }

  /** Checks an upload URL's signature and expiry (no database): the PUT route's authentication. */
  authorizeUpload(uploadId: string, query: Record<string, unknown>): UploadGrant {
    const grant = this.signer.verify(uploadId, query);
    if (!grant) throw uploadRefused(UploadRefusal.SIGNATURE_INVALID, 'The upload URL is not valid; use the uploadUrl createAvatarUpload returned, unchanged.');
    if (grant.expiresAt.getTime() <= Date.now()) {
      throw uploadRefused(UploadRefusal.EXPIRED, 'The upload URL has expired; request a new one with createAvatarUpload.');
    }
    return grant;
  }

  /**
   * Step two, with the body read: uses up the URL (atomically, so only one request anywhere wins),
   * validates, optimises, stores and records the avatar. A refused model leaves no file and no
   * avatar row; its URL stays used, and the client asks for a new one.
   */
  async completeUpload(em: EntityManager, grant: UploadGrant, bytes: Uint8Array): Promise<CompletedAvatarUpload> {
    // Each waiting upload holds its body in memory: refuse rather than queue without bound.
    if (this.limit.waiting() >= MAX_WAITING_UPLOADS) {
      throw DomainError.unavailable('Too many avatar uploads are being processed; retry the same URL in a moment.');
    }
    const upload = await inTenant(em, grant.tenantId, async (tx) => {
      const [row] = await tx.execute<{ file_name: string; created_by: string | null }[]>(
        `update avatar_upload set consumed_at = now()
          where id = ? and consumed_at is null and expires_at > now()
          returning file_name, created_by`,
        [grant.uploadId],
      );
      return row;
    });
    if (!upload) {
      throw uploadRefused(UploadRefusal.ALREADY_USED, 'The upload URL has been used already; request a new one with createAvatarUpload.');
    }
    // In a worker thread: decoding and optimising a model holds a CPU for seconds (issue 15, finding 5).
    const { optimized, ...inspection } = await this.limit.run(() =>
      processAvatarInWorker(bytes, this.budgets, this.options.processingLimits ?? DEFAULT_AVATAR_PROCESSING_LIMITS));
    const contentHash = createHash('sha256').update(optimized).digest('hex');
    await this.options.storage.put(contentHash, optimized);

    return inTenant(em, grant.tenantId, async (tx) => {
      const id = randomUUID();
      await tx.upsert(
        AvatarAsset,
        {
          id,
          tenantId: grant.tenantId,
          name: avatarNameFrom(upload.file_name),
          contentHash,
          originalBytes: bytes.byteLength,
          optimizedBytes: optimized.byteLength,
          triangleCount: inspection.triangleCount,
          clipNames: inspection.clipNames,
          morphTargets: inspection.morphTargets,
          suggestedMapping: suggestSlotMapping(inspection.clipNames, { clipDurations: inspection.clipDurations }),
          createdBy: upload.created_by,
          createdAt: new Date(),
        },
        // Identical bytes uploaded twice (even at once) keep the first row.
        { onConflictFields: ['tenantId', 'contentHash'], onConflictAction: 'ignore' },
      );
      const avatar = await tx.findOneOrFail(AvatarAsset, { contentHash }, { refresh: true });
      await tx.nativeUpdate(AvatarUpload, { id: grant.uploadId }, { avatarId: avatar.id });
      return { avatar: this.toView(avatar), created: avatar.id === id };
    });
  }

  async list(em: EntityManager, tenantId: string, page: KeysetRequest): Promise<Page<AvatarView>> {
    return mapNodes(await listInTenant(em, tenantId, { entity: AvatarAsset, where: () => ({}) }, page), (row) => this.toView(row));
  }

  async get(em: EntityManager, tenantId: string, id: string): Promise<AvatarView> {
    return inTenant(em, tenantId, async (tx) => {
      const avatar = await tx.findOne(AvatarAsset, { id: parseId(id, 'id') });
      if (!avatar) throw DomainError.notFound('Avatar');
      return this.toView(avatar);
    });
  }

  /**
   * The tenant's avatar with this content hash, inside the caller's tenant transaction (for
   * publishing a bot whose bundle pins `{ kind: 'uploaded', assetHash }`); null when the tenant has none.
   */
  async findByContentHash(tx: EntityManager, contentHash: string): Promise<AvatarView | null> {
    if (!isContentHash(contentHash)) return null;
    const avatar = await tx.findOne(AvatarAsset, { contentHash });
    return avatar ? this.toView(avatar) : null;
  }

  /**
   * Removes the avatar from the tenant's list. The file stays: it is content-addressed and
   * immutable, published bot versions may pin it, and another tenant may have uploaded the same bytes.
   */
  async delete(em: EntityManager, actor: TenantActor, id: string): Promise<string> {
    return inTenant(em, actor.tenantId, async (tx) => {
      const avatar = await tx.findOne(AvatarAsset, { id: parseId(id, 'id') });
      if (!avatar) throw DomainError.notFound('Avatar');
      tx.remove(avatar);
      await tx.flush();
      return avatar.id;
    });
  }

  builtinAvatars(): BuiltinAvatarView[] {
    return this.options.builtins.list.map((avatar) => ({
      ...avatar,
      url: this.assetUrl(avatar.contentHash),
      ...this.faceMorphs(avatar.morphTargets),
    }));
  }

  builtinAvatar(id: string): BuiltinAvatarView | undefined {
    return this.builtinAvatars().find((avatar) => avatar.id === id);
  }

  /** A GLB by content hash, built-in or uploaded; null when there is none. Callers validate the hash format. */
  async openAsset(hash: string): Promise<StoredAvatarFile | null> {
    const builtin = this.options.builtins.bytesOf(hash);
    if (builtin) {
      return { byteLength: builtin.byteLength, body: () => Readable.from([builtin]) };
    }
    return this.options.storage.get(hash);
  }

  private faceMorphs(morphTargets: string[]) {
    const { mouth, blink } = detectFaceMorphTargets(morphTargets);
    return { mouthMorphTargets: mouth, blinkMorphTargets: blink };
  }

  private toView(avatar: AvatarAsset): AvatarView {
    return {
      id: avatar.id,
      name: avatar.name,
      contentHash: avatar.contentHash,
      url: this.assetUrl(avatar.contentHash),
      originalBytes: avatar.originalBytes,
      optimizedBytes: avatar.optimizedBytes,
      triangleCount: avatar.triangleCount,
      clipNames: avatar.clipNames,
      morphTargets: avatar.morphTargets,
      ...this.faceMorphs(avatar.morphTargets),
      suggestedMapping: avatar.suggestedMapping,
      createdAt: avatar.createdAt,
    };
  }
}

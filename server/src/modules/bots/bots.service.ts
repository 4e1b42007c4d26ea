import { randomBytes, randomUUID } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { ErrorCode } from '@mascot/contracts';
import {
  BOT_TONES,
  defaultBotBundle,
  diffBotBundles,
  validateBotBundle,
  type BotBundle,
  type BundleChange,
} from '@mascot/bot-bundle';
import { subjects, type BotPublishedEvent } from '@mascot/events';
import type { TenantActor } from '../../core/auth/index.ts';
import type { MessageBus } from '../../core/bus/index.ts';
import { discardingOutbox, type DomainEventOutbox } from '../../core/events/index.ts';
import { inTenant, listInTenant, type KeysetOrder, type KeysetRequest, type Page } from '../../core/db/index.ts';
import { DomainError, parseId, parseInput } from '../../core/errors/index.ts';
import type { AuditService } from '../audit/index.ts';
import type { UsageService } from '../tenants/index.ts';
import { readStoredBundle } from './bot-bundle-store.ts';
import { BotVersion } from './bot-version.entity.ts';
import { Bot } from './bot.entity.ts';

const createBotSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  greeting: z.string().trim().min(1).max(500).optional().nullable(),
  tone: z.enum(BOT_TONES).optional().nullable(),
  systemPrompt: z.string().max(8000).optional().nullable(),
  allowedOrigins: z.array(z.string()).optional().nullable(),
});

/** Which knowledge documents a publication freezes; provided by the knowledge module. */
export type KnowledgeSnapshotter = (tx: EntityManager, botId: string) => Promise<string[]>;

/** The model a bundle's avatar points at (built-in id or uploaded hash); provided by the avatars module. */
export type AvatarLookup = (
  tx: EntityManager,
  avatar: { kind: 'builtin'; id: string } | { kind: 'uploaded'; assetHash: string },
) => Promise<{ contentHash: string; clipNames: string[] } | null>;

/**
 * The save-time check of an OpenAI-compatible base URL a bundle names (provided by the ai module):
 * throws BAD_USER_INPUT with `reason` when the server would refuse to call it.
 */
export type ProviderUrlCheck = (baseUrl: string, field: string) => Promise<void>;

type Actor = TenantActor | { kind: 'system'; tenantId: string };

/** The published bot a visitor talks to, resolved from its public embed id. */
export interface LiveBot {
  tenantId: string;
  botId: string;
  version: BotVersion;
  bundle: BotBundle;
}

export interface VersionDiff {
  from: BotVersion;
  to: BotVersion;
  changes: BundleChange[];
  knowledgeAdded: string[];
  knowledgeRemoved: string[];
}

/** Bundle validation failures become field errors under the argument's name, e.g. `bundle.providers.1.baseUrl`. */
function validBundle(document: unknown, field: string): BotBundle {
  const result = validateBotBundle(document);
  if (result.ok) return result.bundle;
  throw DomainError.invalidInput(result.errors.map((e) => ({ field: e.path ? `${field}.${e.path}` : field, message: e.message })));
}

/** A bot's lifecycle state as lists filter by it (BotType.status). */
export type BotLifecycleState = 'active' | 'archived' | 'deleted';

/** The rows of each state; unfiltered lists show every bot that is not deleted. */
const BOT_STATES = {
  listed: { deletedAt: null },
  active: { deletedAt: null, archivedAt: null },
  archived: { deletedAt: null, archivedAt: { $ne: null } },
  deleted: { deletedAt: { $ne: null } },
} as const;

/** Versions by publication, newest first: the order of their numbers. */
const PUBLISHED_FIRST: KeysetOrder = { timeField: 'publishedAt', direction: 'desc' };

/** Embed ids whose owner is remembered (a few hundred bytes each). */
const EMBED_OWNERS_KEPT = 10_000;

export class BotsService {
  private readonly embedOwners = new Map<string, { tenant_id: string; bot_id: string }>();

  constructor(
    private readonly snapshotKnowledge: KnowledgeSnapshotter,
    private readonly audit: AuditService,
    private readonly usage: UsageService,
    private readonly bus: MessageBus,
    private readonly avatars: AvatarLookup,
    private readonly checkProviderUrl: ProviderUrlCheck,
    private readonly outbox: DomainEventOutbox = discardingOutbox,
  ) {}

  async create(em: EntityManager, tenantId: string, input: z.input<typeof createBotSchema>): Promise<Bot> {
    const data = parseInput(createBotSchema, input);
    const base = defaultBotBundle(data.name);
    const draft = validBundle(
      {
        ...base,
        personality: {
          ...base.personality,
          ...(data.greeting ? { greeting: data.greeting } : {}),
          ...(data.tone ? { tone: data.tone } : {}),
          ...(data.systemPrompt ? { systemPrompt: data.systemPrompt } : {}),
        },
        allowedOrigins: data.allowedOrigins ?? base.allowedOrigins,
      },
      'input',
    );
    return inTenant(em, tenantId, async (tx) => {
      await this.usage.assertCanCreateBot(tx, tenantId);
      const bot = tx.create(Bot, {
        id: randomUUID(),
        tenantId,
        name: draft.name,
        // Public and unguessable: it appears in every host page that embeds the bot.
        embedId: `bot_${randomBytes(12).toString('base64url')}`,
        draft,
        draftRevision: 1,
        liveVersionId: null,
      });
      await tx.flush();
      return bot;
    });
  }

  /**
   * Loads a bot of the caller's tenant; other tenants' bots are indistinguishable from missing ones, and so
   * are deleted bots waiting for their purge (only restoreBot still finds them, bot-lifecycle.service.ts).
   */
  async get(tx: EntityManager, botId: string, field = 'botId'): Promise<Bot> {
    const bot = await tx.findOne(Bot, { id: parseId(botId, field), deletedAt: null });
    if (!bot) throw DomainError.notFound('Bot');
    return bot;
  }

  async getInTenant(em: EntityManager, tenantId: string, botId: string, field = 'botId'): Promise<Bot> {
    return inTenant(em, tenantId, (tx) => this.get(tx, botId, field));
  }

  /** The tenant's bots, newest first: those not deleted, or those in one lifecycle state. */
  async list(em: EntityManager, tenantId: string, page: KeysetRequest, status?: BotLifecycleState | null): Promise<Page<Bot>> {
    return listInTenant(em, tenantId, { entity: Bot, where: () => BOT_STATES[status ?? 'listed'] }, page);
  }

  /** The draft as a current-format bundle, whatever format it was stored in. */
  draftOf(bot: Bot): BotBundle {
    return readStoredBundle(bot.draft, bot.name);
  }

  async findVersion(em: EntityManager, tenantId: string, versionId: string): Promise<BotVersion | null> {
    return inTenant(em, tenantId, (tx) => tx.findOne(BotVersion, { id: versionId }));
  }

  /**
   * Replaces the draft. `expectedRevision` is the revision the editor started from: when someone
   * changed the draft since, the update is refused with CONFLICT instead of silently overwriting.
   */
  async updateDraft(em: EntityManager, tenantId: string, botId: string, document: unknown, expectedRevision?: number | null): Promise<Bot> {
    // Base URLs are resolved (DNS) before the transaction, so no row lock is held while waiting on it;
    // an invalid bundle is reported inside, after the bot is found, as before.
    const candidate = validateBotBundle(document);
    if (candidate.ok) await this.checkProviders(candidate.bundle);
    return inTenant(em, tenantId, async (tx) => {
      const bot = await tx.findOne(Bot, { id: parseId(botId, 'botId') }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!bot) throw DomainError.notFound('Bot');
      const draft = validBundle(document, 'bundle');
      await this.checkAvatar(tx, draft);
      if (expectedRevision != null && expectedRevision !== bot.draftRevision) {
        // A retried save that already applied (its response was lost) finds its own content one revision
        // on: nothing would be overwritten, so it succeeds with the draft as it is instead of a CONFLICT.
        if (diffBotBundles(this.draftOf(bot), draft).length === 0) return bot;
        throw new DomainError(ErrorCode.CONFLICT, 'The draft was changed since you loaded it; reload it and apply your changes again.', {
          currentRevision: bot.draftRevision,
          expectedRevision,
        });
      }
      bot.draft = draft;
      bot.name = draft.name;
      bot.draftRevision += 1;
      await tx.flush();
      return bot;
    });
  }

  /**
   * Freezes the draft, its avatar and the current knowledge into version N+1 and makes it live; when the live
   * version already holds exactly that, returns it instead.
   */
  async publish(em: EntityManager, actor: Actor, botId: string, ip?: string): Promise<BotVersion> {
    const outcome = await inTenant(em, actor.tenantId, async (tx) => {
      const bot = await this.lockBot(tx, botId);
      const config = this.draftOf(bot);
      // The model is frozen by content hash, so the version keeps playing it even if the avatar changes.
      const model = await this.checkAvatar(tx, config);
      const snapshot = { config, knowledgeDocumentIds: await this.snapshotKnowledge(tx, bot.id), avatarHash: model?.contentHash ?? null };
      // Publishing what is already live (a retry, a double click) changes nothing visitors see: no new number.
      const live = bot.liveVersionId ? await tx.findOne(BotVersion, { id: bot.liveVersionId }) : null;
      if (live && this.sameSnapshot(bot, live, snapshot)) return { version: live, created: false };
      return { version: await this.makeLive(tx, actor, bot, { ...snapshot, rolledBackFrom: null }, ip), created: true };
    });
    if (outcome.created) await this.announce(outcome.version);
    return outcome.version;
  }

  /** Whether `live` already holds this draft, knowledge and avatar (the bundles compared as diffBotBundles sees them). */
  private sameSnapshot(bot: Bot, live: BotVersion, snapshot: Pick<BotVersion, 'config' | 'knowledgeDocumentIds' | 'avatarHash'>): boolean {
    const sorted = (ids: readonly string[]) => [...ids].sort().join(',');
    return (
      (live.avatarHash ?? null) === (snapshot.avatarHash ?? null) &&
      sorted(live.knowledgeDocumentIds) === sorted(snapshot.knowledgeDocumentIds) &&
      diffBotBundles(readStoredBundle(live.config, bot.name), readStoredBundle(snapshot.config, bot.name)).length === 0
    );
  }

  /** Makes an older version live again, as a new version (history is never rewritten). */
  async rollback(em: EntityManager, actor: Actor, botId: string, number: number, ip?: string): Promise<BotVersion> {
    const version = await inTenant(em, actor.tenantId, async (tx) => {
      const bot = await this.lockBot(tx, botId);
      const target = await tx.findOne(BotVersion, { botId: bot.id, number });
      if (!target) throw DomainError.notFound('Bot version');
      return this.makeLive(tx, actor, bot, {
        config: target.config,
        knowledgeDocumentIds: target.knowledgeDocumentIds,
        avatarHash: target.avatarHash ?? null,
        rolledBackFrom: target.number,
      }, ip);
    });
    await this.announce(version);
    return version;
  }

  /** Published versions of a bot, newest first (by publishedAt, which follows their numbers). */
  async versions(em: EntityManager, tenantId: string, botId: string, page: KeysetRequest): Promise<Page<BotVersion>> {
    const id = parseId(botId, 'botId');
    return listInTenant(em, tenantId, { entity: BotVersion, where: () => ({ botId: id }), order: PUBLISHED_FIRST, check: (tx) => this.get(tx, id) }, page);
  }

  /** A structured diff between two published versions: configuration changes and knowledge changes. */
  async diff(em: EntityManager, tenantId: string, botId: string, from: number, to: number): Promise<VersionDiff> {
    return inTenant(em, tenantId, async (tx) => {
      const bot = await this.get(tx, botId);
      const [a, b] = await Promise.all([from, to].map((number) => tx.findOne(BotVersion, { botId: bot.id, number })));
      if (!a || !b) throw DomainError.notFound('Bot version');
      const before = new Set(a.knowledgeDocumentIds);
      const after = new Set(b.knowledgeDocumentIds);
      return {
        from: a,
        to: b,
        changes: diffBotBundles(readStoredBundle(a.config, bot.name), readStoredBundle(b.config, bot.name)),
        knowledgeAdded: [...after].filter((id) => !before.has(id)),
        knowledgeRemoved: [...before].filter((id) => !after.has(id)),
      };
    });
  }

  /**
   * The tenant and bot an embed id names. The pair never changes for an embed id (a bot keeps its
   * embed id; a deleted bot is refused by the read inside the tenant that follows), so answers are
   * kept: every visitor's `startConversation` needed this round trip (issue 13). Misses are not kept —
   * an unknown id is cheap to ask about again and costs nothing to forget. Bounded, oldest first out.
   */
  private async ownerOfEmbed(em: EntityManager, embedId: string): Promise<{ tenant_id: string; bot_id: string } | undefined> {
    const known = this.embedOwners.get(embedId);
    if (known) return known;
    const [owner] = await em.execute<{ tenant_id: string; bot_id: string }[]>('select tenant_id, bot_id from mascot_resolve_embed(?)', [embedId]);
    if (!owner) return undefined;
    if (this.embedOwners.size >= EMBED_OWNERS_KEPT) this.embedOwners.delete(this.embedOwners.keys().next().value!);
    this.embedOwners.set(embedId, { tenant_id: owner.tenant_id, bot_id: owner.bot_id });
    return owner;
  }

  /**
   * Resolves a public embed id to its live version. This lookup happens before any tenant is known,
   * so it goes through `mascot_resolve_embed`, a SECURITY DEFINER function that returns only the
   * owning tenant and bot ids; everything else is then read inside that tenant.
   */
  async findLiveByEmbedId(em: EntityManager, embedId: string): Promise<LiveBot> {
    if (!/^bot_[A-Za-z0-9_-]{8,64}$/.test(embedId)) {
      throw DomainError.invalidInput([{ field: 'embedId', message: 'is not an embed id' }]);
    }
    const owner = await this.ownerOfEmbed(em, embedId);
    if (!owner) throw DomainError.notFound('Bot');
    return inTenant(em, owner.tenant_id, async (tx) => {
      const bot = await tx.findOne(Bot, { id: owner.bot_id, deletedAt: null });
      if (!bot) throw DomainError.notFound('Bot');
      if (bot.archivedAt) throw new DomainError(ErrorCode.BOT_ARCHIVED, 'This bot is archived.');
      const version = bot.liveVersionId ? await tx.findOne(BotVersion, { id: bot.liveVersionId }) : null;
      if (!version) throw new DomainError(ErrorCode.BOT_NOT_PUBLISHED, 'This bot has not been published yet.');
      return { tenantId: bot.tenantId, botId: bot.id, version, bundle: readStoredBundle(version.config, bot.name) };
    });
  }

  /**
   * The bundle's avatar must exist for this tenant (an uploaded hash) or be built in, and every clip its
   * animation map names must be in that model: a bad reference is a field error, never a broken widget.
   */
  private async checkAvatar(tx: EntityManager, bundle: BotBundle) {
    const { avatar } = bundle;
    if (avatar.kind === 'none') return null;
    const model = await this.avatars(tx, avatar);
    if (!model) {
      throw DomainError.invalidInput([
        avatar.kind === 'builtin'
          ? { field: 'bundle.avatar.id', message: 'is not a built-in avatar (see builtinAvatars)' }
          : { field: 'bundle.avatar.assetHash', message: 'is not an avatar uploaded to this tenant' },
      ]);
    }
    const clips = new Set(model.clipNames);
    const missing = Object.entries(avatar.animationMap).filter(([, clip]) => clip !== null && !clips.has(clip));
    if (missing.length > 0) {
      throw DomainError.invalidInput(
        missing.map(([slot, clip]) => ({ field: `bundle.avatar.animationMap.${slot}`, message: `names clip "${clip}", which the avatar does not have` })),
      );
    }
    return model;
  }

  /** Every OpenAI-compatible endpoint the bundle names must be one the server would call. */
  private async checkProviders(bundle: BotBundle): Promise<void> {
    for (const [index, entry] of bundle.providers.entries()) {
      if (entry.provider === 'openai-compatible' && entry.baseUrl) await this.checkProviderUrl(entry.baseUrl, `bundle.providers.${index}.baseUrl`);
    }
  }

  private async lockBot(tx: EntityManager, botId: string): Promise<Bot> {
    // Row lock: concurrent publishes get consecutive numbers instead of a unique violation.
    const bot = await tx.findOne(Bot, { id: parseId(botId, 'botId'), deletedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!bot) throw DomainError.notFound('Bot');
    return bot;
  }

  private async makeLive(
    tx: EntityManager,
    actor: Actor,
    bot: Bot,
    snapshot: Pick<BotVersion, 'config' | 'knowledgeDocumentIds' | 'avatarHash' | 'rolledBackFrom'>,
    ip: string | undefined,
  ): Promise<BotVersion> {
    const latest = await tx.findOne(BotVersion, { botId: bot.id }, { orderBy: { number: 'desc' } });
    const version = tx.create(BotVersion, {
      id: randomUUID(),
      tenantId: bot.tenantId,
      botId: bot.id,
      number: (latest?.number ?? 0) + 1,
      config: structuredClone(snapshot.config),
      knowledgeDocumentIds: [...snapshot.knowledgeDocumentIds],
      avatarHash: snapshot.avatarHash ?? null,
      rolledBackFrom: snapshot.rolledBackFrom ?? null,
    });
    await tx.flush();
    bot.liveVersionId = version.id;
    this.audit.record(tx, bot.tenantId, {
      action: 'bot.published',
      actor,
      target: { type: 'bot', id: bot.id },
      ip,
      metadata: { version: version.number, ...(snapshot.rolledBackFrom ? { rolledBackFrom: snapshot.rolledBackFrom } : {}) },
    });
    await this.outbox.record(tx, bot.tenantId, {
      type: 'bot.published',
      data: { botId: bot.id, versionId: version.id, version: version.number, rolledBackFrom: version.rolledBackFrom ?? null },
    });
    await tx.flush();
    return version;
  }

  /** After commit: other instances and consumers learn that a new version is live. */
  private async announce(version: BotVersion): Promise<void> {
    const event: BotPublishedEvent = {
      type: 'BotPublished',
      tenantId: version.tenantId,
      botId: version.botId,
      versionId: version.id,
      number: version.number,
      rolledBackFrom: version.rolledBackFrom ?? null,
      publishedAt: version.publishedAt.toISOString(),
    };
    await this.bus.publish(subjects.botPublished(version.tenantId, version.botId), event);
  }
}

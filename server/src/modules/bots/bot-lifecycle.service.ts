import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { TenantActor } from '../../core/auth/index.ts';
import { inTenant } from '../../core/db/index.ts';
import { DomainError, parseId } from '../../core/errors/index.ts';
import type { AuditAction, AuditService } from '../audit/index.ts';
import type { UsageService } from '../tenants/index.ts';
import { Bot } from './bot.entity.ts';

/** What a purge job carries: the deletion it was scheduled for, so a bot restored and deleted again is purged on its own schedule. */
export const botPurgeJobSchema = z.object({ tenantId: z.uuid(), botId: z.uuid(), deletedAt: z.iso.datetime() });
export type BotPurgeJob = z.infer<typeof botPurgeJobSchema>;

export interface BotLifecycleOptions {
  /** How long a deleted bot can be restored before it is purged (config: MASCOT_BOT_DELETION_GRACE_MS). */
  deletionGraceMs: number;
}

/**
 * Archiving and deleting bots. Archived bots keep everything and start no conversations
 * (BotsService.findLiveByEmbedId answers BOT_ARCHIVED). Deleted bots vanish at once for everything but
 * restoreBot — BotsService.get and the plan's counts skip them, so their place and storage are free
 * again — and are purged once the grace period has passed (bot-purge.ts): deleting the row cascades to
 * every version, conversation, message, lead, feedback, knowledge document and analytics row of the bot.
 * Every change is audited in its own transaction.
 */
export class BotLifecycleService {
  constructor(
    private readonly audit: AuditService,
    private readonly usage: UsageService,
    private readonly options: BotLifecycleOptions,
  ) {}

  archive(em: EntityManager, actor: TenantActor, botId: string, ip?: string): Promise<Bot> {
    return this.change(em, actor, botId, ip, (bot) => {
      if (bot.archivedAt) return null;
      bot.archivedAt = new Date();
      return { action: 'bot.archived' };
    });
  }

  unarchive(em: EntityManager, actor: TenantActor, botId: string, ip?: string): Promise<Bot> {
    return this.change(em, actor, botId, ip, (bot) => {
      if (!bot.archivedAt) return null;
      bot.archivedAt = null;
      return { action: 'bot.unarchived' };
    });
  }

  /** Marks the bot deleted; the purge follows after the grace period unless it is restored first. */
  delete(em: EntityManager, actor: TenantActor, botId: string, ip?: string): Promise<Bot> {
    return this.change(em, actor, botId, ip, (bot) => {
      const now = new Date();
      bot.deletedAt = now;
      bot.purgeAfter = new Date(now.getTime() + this.options.deletionGraceMs);
      return { action: 'bot.deleted', metadata: { purgeAfter: bot.purgeAfter.toISOString() } };
    });
  }

  /**
   * Undoes deleteBot within the grace period. The bot takes its place in the plan again, so it is refused
   * (QUOTA_EXCEEDED) when the plan's bots or knowledge storage were used up meanwhile. A bot that is not
   * deleted is returned as it is.
   */
  async restore(em: EntityManager, actor: TenantActor, botId: string, ip?: string): Promise<Bot> {
    const id = parseId(botId, 'id');
    return inTenant(em, actor.tenantId, async (tx) => {
      const bot = await tx.findOne(Bot, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!bot) throw DomainError.notFound('Bot');
      if (!bot.deletedAt) return bot;
      await this.usage.assertCanCreateBot(tx, actor.tenantId);
      const [knowledge] = await tx.execute<{ bytes: string }[]>(
        'select coalesce(sum(size_bytes), 0) as bytes from knowledge_document where bot_id = ?',
        [bot.id],
      );
      await this.usage.assertKnowledgeFits(tx, actor.tenantId, Number(knowledge!.bytes));
      bot.deletedAt = null;
      bot.purgeAfter = null;
      this.audit.record(tx, actor.tenantId, { action: 'bot.restored', actor, target: { type: 'bot', id: bot.id }, ip });
      await tx.flush();
      return bot;
    });
  }

  /**
   * The purge job: deletes the bot if it is still the deletion `job` was scheduled for and its grace period
   * has passed. One statement, idempotent: a second run (at-least-once delivery) or a bot restored
   * meanwhile deletes nothing. Foreign keys cascade to everything of the bot.
   */
  async purge(em: EntityManager, job: BotPurgeJob): Promise<boolean> {
    return inTenant(em, job.tenantId, async (tx) => {
      const deleted = await tx.nativeDelete(Bot, { id: job.botId, deletedAt: new Date(job.deletedAt), purgeAfter: { $lte: new Date() } });
      if (deleted === 0) return false;
      this.audit.record(tx, job.tenantId, { action: 'bot.purged', actor: { kind: 'system' }, target: { type: 'bot', id: job.botId } });
      await tx.flush();
      return true;
    });
  }

  /** Loads the (not deleted) bot under a row lock, applies `apply` and audits what it reports; null: nothing changed. */
  private async change(
    em: EntityManager,
    actor: TenantActor,
    botId: string,
    ip: string | undefined,
    apply: (bot: Bot) => { action: AuditAction; metadata?: Record<string, unknown> } | null,
  ): Promise<Bot> {
    const id = parseId(botId, 'id');
    return inTenant(em, actor.tenantId, async (tx) => {
      const bot = await tx.findOne(Bot, { id, deletedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!bot) throw DomainError.notFound('Bot');
      const changed = apply(bot);
      if (changed) {
        this.audit.record(tx, actor.tenantId, { ...changed, actor, target: { type: 'bot', id: bot.id }, ip });
        await tx.flush();
      }
      return bot;
    });
  }
}

import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { TenantActor } from '../../../core/auth/index.ts';
import type { MessageBus } from '../../../core/bus/index.ts';
import { inTenant } from '../../../core/db/index.ts';
import { DomainError, parseId, parseInput } from '../../../core/errors/index.ts';
import type { JobQueue } from '../../../core/jobs/index.ts';
import type { Logger } from '../../../core/logging/index.ts';
import { assertDestinationAllowed, type OutboundPolicy } from '../../../core/outbound/index.ts';
import type { AuditService } from '../../audit/index.ts';
import type { BotsService } from '../../bots/index.ts';
import { patternProblem } from './site-scope.ts';
import { WebsitePage, WebsiteSource } from './website-source.entity.ts';
import { enqueueSync, publishSyncEvent } from './website-sync.job.ts';

export const MAX_PAGES_PER_SOURCE = 1000;
const MAX_SOURCES_PER_BOT = 20;
const LISTED_PAGE_ERRORS = 100;

const url = (field: string) =>
  z.string().trim().max(2000, 'must be at most 2000 characters').refine((value) => {
    if (!URL.canParse(value)) return false;
    const parsed = new URL(value);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && !parsed.username && !parsed.password;
  }, `${field} must be an http(s) URL without credentials`);
const patterns = z
  .array(z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'))
  .max(50, 'at most 50 patterns')
  .superRefine((list, ctx) => {
    for (const [index, pattern] of list.entries()) {
      const problem = patternProblem(pattern);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [index] });
    }
  });

const inputSchema = z
  .object({
    startUrl: url('startUrl').nullish(),
    sitemapUrl: url('sitemapUrl').nullish(),
    includePatterns: patterns.nullish().transform((v) => v ?? []),
    excludePatterns: patterns.nullish().transform((v) => v ?? []),
    maxPages: z.number().int().min(1, 'must be at least 1').max(MAX_PAGES_PER_SOURCE, `must be at most ${MAX_PAGES_PER_SOURCE}`).nullish().transform((v) => v ?? 100),
    maxDepth: z.number().int().min(0, 'must be at least 0').max(10, 'must be at most 10').nullish().transform((v) => v ?? 3),
    syncIntervalHours: z.number().int().min(1, 'must be at least 1').max(720, 'must be at most 720').nullish().transform((v) => v ?? 24),
  })
  .superRefine((input, ctx) => {
    if (!input.startUrl === !input.sitemapUrl) ctx.addIssue({ code: 'custom', message: 'give exactly one of startUrl and sitemapUrl', path: ['startUrl'] });
  });
export type WebsiteSourceInput = z.input<typeof inputSchema>;

export interface WebsiteSourceView {
  id: string;
  botId: string;
  startUrl: string | null;
  sitemapUrl: string | null;
  includePatterns: string[];
  excludePatterns: string[];
  maxPages: number;
  maxDepth: number;
  syncIntervalHours: number;
  syncStatus: WebsiteSource['syncStatus'];
  syncJobId: string | null;
  lastSyncedAt: Date | null;
  lastSyncOutcome: 'succeeded' | 'failed' | null;
  lastSyncError: { code: string; message: string } | null;
  nextSyncAt: Date | null;
  pageCount: number;
  errorCount: number;
  pageErrors: { url: string; code: string; message: string }[];
  createdAt: Date;
}

/**
 * Websites as knowledge sources of a bot: added, listed, synced on demand and deleted here; read by
 * durable sync jobs (website-sync.job.ts). Their pages are knowledge documents of the bot like uploads,
 * so drafts, publishing and versions treat them the same.
 */
export class WebsiteSourcesService {
  constructor(
    private readonly bots: BotsService,
    private readonly policy: OutboundPolicy,
    private readonly jobs: Pick<JobQueue, 'enqueue'>,
    private readonly bus: MessageBus,
    private readonly audit: AuditService,
    private readonly logger: Logger,
  ) {}

  /** Adds a site and starts its first sync. The URL must be one the outbound policy lets the server reach. */
  async add(em: EntityManager, actor: TenantActor, botId: string, input: WebsiteSourceInput): Promise<WebsiteSourceView> {
    const data = parseInput(inputSchema, input);
    const field = data.startUrl ? 'startUrl' : 'sitemapUrl';
    const root = new URL((data.startUrl ?? data.sitemapUrl)!);
    root.hash = '';
    // Another tenant's (or no) bot is NOT_FOUND before anything is said about the address: the policy's
    // DNS lookup runs outside the transaction below, so the bot is looked up first on its own.
    await inTenant(em, actor.tenantId, (tx) => this.bots.get(tx, botId));
    await assertDestinationAllowed(this.policy, root.href, field);
    const source = await inTenant(em, actor.tenantId, async (tx) => {
      const bot = await this.bots.get(tx, botId);
      if ((await tx.count(WebsiteSource, { botId: bot.id })) >= MAX_SOURCES_PER_BOT) {
        throw DomainError.invalidInput([{ field: 'botId', message: `a bot has at most ${MAX_SOURCES_PER_BOT} website sources` }]);
      }
      const created = tx.create(WebsiteSource, {
        id: randomUUID(), tenantId: actor.tenantId, botId: bot.id,
        startUrl: data.startUrl ? root.href : null, sitemapUrl: data.sitemapUrl ? root.href : null,
        includePatterns: data.includePatterns, excludePatterns: data.excludePatterns,
        maxPages: data.maxPages, maxDepth: data.maxDepth, syncIntervalHours: data.syncIntervalHours,
        syncStatus: 'queued', syncId: randomUUID(), leaseUntil: null, nextSyncAt: null, lastSyncStartedAt: null, lastSyncedAt: null,
        lastSyncOutcome: null, lastErrorCode: null, lastErrorMessage: null, pagesDone: 0, pagesTotal: null,
        createdBy: actor.kind === 'user' ? actor.userId : null,
      });
      await tx.flush();
      return created;
    });
    await this.handOver(source);
    return (await this.views(em, actor.tenantId, source.botId, [source.id]))[0]!;
  }

  async list(em: EntityManager, tenantId: string, botId: string): Promise<WebsiteSourceView[]> {
    const id = await inTenant(em, tenantId, async (tx) => (await this.bots.get(tx, botId)).id);
    return this.views(em, tenantId, id);
  }

  /** Syncs now; a sync already queued or running is answered as it is. */
  async sync(em: EntityManager, actor: TenantActor, sourceId: string): Promise<WebsiteSourceView> {
    const source = await inTenant(em, actor.tenantId, async (tx) => {
      const found = await tx.findOne(WebsiteSource, { id: parseId(sourceId, 'id') });
      if (!found) throw DomainError.notFound('Website source');
      if (found.syncStatus !== 'idle') return null;
      tx.assign(found, { syncStatus: 'queued', syncId: randomUUID() });
      await tx.flush();
      return found;
    });
    if (source) await this.handOver(source);
    const found = source ?? (await inTenant(em, actor.tenantId, (tx) => tx.findOneOrFail(WebsiteSource, { id: sourceId })));
    return (await this.views(em, actor.tenantId, found.botId, [found.id]))[0]!;
  }

  /**
   * Deletes a source with every page learnt from it, in one transaction. Like deleteKnowledgeDocument, its
   * pages stop being cited at once, also by published versions. A sync in progress notices and stops.
   */
  async delete(em: EntityManager, actor: TenantActor, sourceId: string, ip?: string): Promise<WebsiteSourceView> {
    const id = parseId(sourceId, 'id');
    return inTenant(em, actor.tenantId, async (tx) => {
      const source = await tx.findOne(WebsiteSource, { id });
      if (!source) throw DomainError.notFound('Website source');
      const [view] = await this.viewsIn(tx, source.botId, [id]);
      const pages = await tx.find(WebsitePage, { sourceId: id, documentId: { $ne: null } }, { fields: ['documentId'] });
      const documentIds = pages.map((page) => page.documentId!);
      if (documentIds.length > 0) await tx.execute(`delete from knowledge_document where id in (${documentIds.map(() => '?').join(', ')})`, documentIds);
      await tx.execute('delete from answer_cache where bot_id = ?', [source.botId]);
      await tx.nativeDelete(WebsitePage, { sourceId: id });
      await tx.nativeDelete(WebsiteSource, { id });
      this.audit.record(tx, actor.tenantId, {
        action: 'knowledge.deleted',
        actor,
        target: { type: 'website_source', id },
        ip,
        metadata: { botId: source.botId, url: source.startUrl ?? source.sitemapUrl, pages: documentIds.length },
      });
      await tx.flush();
      return view!;
    });
  }

  /** Hands a queued sync to the job queue; when the queue refuses (bus outage), the sweep hands it over later. */
  private async handOver(source: WebsiteSource): Promise<void> {
    try {
      await enqueueSync(this.jobs, { tenantId: source.tenantId, sourceId: source.id, syncId: source.syncId! });
    } catch (error) {
      this.logger.warn({ err: error, sourceId: source.id }, 'the job queue refused a website sync; the sweep hands it over again');
    }
    await publishSyncEvent(this.bus, source).catch((error: unknown) => this.logger.warn({ err: error, sourceId: source.id }, 'could not announce a website sync'));
  }

  private views(em: EntityManager, tenantId: string, botId: string, ids?: string[]): Promise<WebsiteSourceView[]> {
    return inTenant(em, tenantId, (tx) => this.viewsIn(tx, botId, ids));
  }

  private async viewsIn(tx: EntityManager, botId: string, ids?: string[]): Promise<WebsiteSourceView[]> {
    const sources = await tx.find(WebsiteSource, { botId, ...(ids ? { id: { $in: ids } } : {}) }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    if (sources.length === 0) return [];
    const sourceIds = sources.map((s) => s.id);
    const marks = sourceIds.map(() => '?').join(', ');
    const counts = await tx.execute<{ source_id: string; pages: number; errors: number }[]>(
      `select source_id, count(*) filter (where document_id is not null)::int as pages, count(*) filter (where error_code is not null)::int as errors
         from website_page where source_id in (${marks}) group by source_id`,
      sourceIds,
    );
    const errors = await tx.execute<{ source_id: string; url: string; error_code: string; error_message: string | null }[]>(
      `select source_id, url, error_code, error_message from (
         select source_id, url, error_code, error_message, row_number() over (partition by source_id order by url) as n
           from website_page where source_id in (${marks}) and error_code is not null) e
        where n <= ? order by source_id, url`,
      [...sourceIds, LISTED_PAGE_ERRORS],
    );
    return sources.map((source) => {
      const count = counts.find((row) => row.source_id === source.id);
      return {
        id: source.id,
        botId: source.botId,
        startUrl: source.startUrl ?? null,
        sitemapUrl: source.sitemapUrl ?? null,
        includePatterns: source.includePatterns,
        excludePatterns: source.excludePatterns,
        maxPages: source.maxPages,
        maxDepth: source.maxDepth,
        syncIntervalHours: source.syncIntervalHours,
        syncStatus: source.syncStatus,
        syncJobId: source.syncId ?? null,
        lastSyncedAt: source.lastSyncedAt ?? null,
        lastSyncOutcome: source.lastSyncOutcome ?? null,
        lastSyncError: source.lastSyncOutcome === 'failed' ? { code: source.lastErrorCode ?? 'SYNC_FAILED', message: source.lastErrorMessage ?? 'The sync failed.' } : null,
        nextSyncAt: source.nextSyncAt ?? null,
        pageCount: count?.pages ?? 0,
        errorCount: count?.errors ?? 0,
        pageErrors: errors.filter((row) => row.source_id === source.id).map((row) => ({ url: row.url, code: row.error_code, message: row.error_message ?? row.error_code })),
        createdAt: source.createdAt,
      };
    });
  }
}

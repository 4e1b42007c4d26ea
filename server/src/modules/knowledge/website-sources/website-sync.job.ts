import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { subjects } from '@mascot/events';
import type { MessageBus } from '../../../core/bus/index.ts';
import { inTenant } from '../../../core/db/index.ts';
import { DomainError } from '../../../core/errors/index.ts';
import { startRepeatingSweep, type JobConsumer, type JobQueue } from '../../../core/jobs/index.ts';
import type { Logger } from '../../../core/logging/index.ts';
import type { OutboundPolicy } from '../../../core/outbound/index.ts';
import { EmbeddingError } from '../embedding-providers.ts';
import type { FileParsingLimits } from '../file-parsing.ts';
import type { IngestionEvent } from '../ingestion.service.ts';
import { chunkEmbeddingText, type KnowledgeService } from '../knowledge.service.ts';
import { parseUntrustedPages, type PageParseResult } from './page-parsing.ts';
import { loadRobots, type RobotsRules } from './robots.ts';
import { SiteFetcher, type FetchLimits } from './site-fetcher.ts';
import { pageKey, siteScope, type SiteScope } from './site-scope.ts';
import { readSitemaps, SyncFailure } from './sitemap.ts';
import { WebsitePage, WebsiteSource } from './website-source.entity.ts';

/*
 * Website syncs are durable jobs (WEBSITE_SYNC_QUEUE: JetStream where NATS runs, in-process otherwise). The
 * state lives in PostgreSQL, on the source row: `sync_status` queued → running (with a lease) → idle, and
 * `next_sync_at` for the scheduled re-sync. Every instance sweeps every `sweepMs` (and once at start) through
 * `mascot_website_sources_to_sync`: sources that are due are queued, and queued syncs (an in-process queue
 * forgets them on restart) or running ones whose lease ran out (their instance stopped) are handed over again.
 */
export const WEBSITE_SYNC_QUEUE = 'website-sync';
const SWEEP_BATCH = 100;
/** A running sync renews its lease after every page; a sync silent for this long is taken over. */
const LEASE_MS = 5 * 60 * 1000;
/** Crawl-delay of robots.txt is honoured up to this much between requests. */
const MAX_CRAWL_DELAY_MS = 10_000;
const ACCEPT_HTML = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1';
const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)\b/i;
const MAX_TITLE_CHARS = 200;

export interface WebsiteSyncLimits extends FetchLimits {
  /** How often every instance looks for sources due for a sync (MASCOT_WEBSITE_SYNC_SWEEP_MS). */
  sweepMs: number;
}

export interface WebsiteSyncDeps {
  orm: MikroORM;
  jobs: JobQueue;
  knowledge: KnowledgeService;
  policy: OutboundPolicy;
  bus: MessageBus;
  logger: Logger;
  limits: WebsiteSyncLimits;
  /** The worker limits of untrusted files (time, memory, text) apply to pages and sitemaps too. */
  parsing: FileParsingLimits;
}

const syncJobSchema = z.object({ tenantId: z.uuid(), sourceId: z.uuid(), syncId: z.uuid() });
export type WebsiteSyncJob = z.infer<typeof syncJobSchema>;

/** A website sync's progress on the ingestion subscription: `jobId` is the sync's id, `chunksDone` counts pages. */
export function websiteSyncEvent(source: WebsiteSource, extra: Partial<IngestionEvent> = {}): IngestionEvent {
  const status = source.syncStatus === 'idle' ? (source.lastSyncOutcome ?? 'succeeded') : source.syncStatus;
  return {
    jobId: source.syncId ?? source.id,
    botId: source.botId,
    status,
    progress: status === 'succeeded' ? 1 : source.pagesTotal ? Math.min(0.99, source.pagesDone / source.pagesTotal) : 0,
    chunksDone: source.pagesDone,
    chunksTotal: source.pagesTotal ?? null,
    documentId: null,
    errorCode: status === 'failed' ? (source.lastErrorCode ?? null) : null,
    errorMessage: status === 'failed' ? (source.lastErrorMessage ?? null) : null,
    websiteSourceId: source.id,
    pageUrl: null,
    ...extra,
  };
}

export async function publishSyncEvent(bus: MessageBus, source: WebsiteSource, extra: Partial<IngestionEvent> = {}): Promise<void> {
  await bus.publish(subjects.knowledgeIngestion(source.tenantId, source.botId), websiteSyncEvent(source, extra));
}

/** Hands a sync to the queue; the same sync handed over twice within the dedupe window is queued once. */
export function enqueueSync(jobs: Pick<JobQueue, 'enqueue'>, job: WebsiteSyncJob, dedupeId: string = job.syncId): Promise<unknown> {
  return jobs.enqueue(WEBSITE_SYNC_QUEUE, job, { dedupeId });
}

/** What a page gave: its links; `gone` when it answered 404 or 410. */
type PageOutcome = { links: string[]; gone?: boolean };
type QueuedPage = { url: string; depth: number; store: boolean };
/** A page fetched with a body to parse (its final URL after redirects, and its validators). */
type FetchedPage = { url: string; body: Uint8Array; contentType: string; etag: string | null; lastModified: string | null };
/** Pages parsed per worker. */
const PARSE_BATCH = 8;

/** One sync of one source: what it found, so pages it did not see can be removed at the end. */
class SiteSync {
  private readonly fetcher: SiteFetcher;
  private readonly scope: SiteScope;
  private readonly robots = new Map<string, Promise<RobotsRules>>();
  private readonly em: EntityManager;
  private lastRequestAt = 0;
  private pagesDone = 0;
  private pagesTotal = 0;

  constructor(
    private readonly deps: WebsiteSyncDeps,
    private readonly source: WebsiteSource,
  ) {
    const root = new URL(source.startUrl ?? source.sitemapUrl!);
    this.scope = siteScope(root, source.includePatterns, source.excludePatterns);
    this.fetcher = new SiteFetcher(deps.policy, deps.limits, this.scope.sameSite);
    this.em = deps.orm.em.fork();
  }

  private robotsFor(url: URL): Promise<RobotsRules> {
    let rules = this.robots.get(url.origin);
    if (!rules) {
      rules = loadRobots(this.fetcher, url.origin);
      this.robots.set(url.origin, rules);
    }
    return rules;
  }

  /** Runs the crawl; resolves false when the sync was taken away (source deleted, lease lost). */
  async run(): Promise<boolean> {
    const { source } = this;
    const known = await inTenant(this.em, source.tenantId, (tx) => tx.find(WebsitePage, { sourceId: source.id }));
    const byUrl = new Map(known.map((page) => [page.url, page]));
    const queue: QueuedPage[] = [];
    const queued = new Set<string>();
    const add = (url: string, depth: number, store = true) => {
      if (queued.has(url)) return;
      queued.add(url);
      queue.push({ url, depth, store });
    };
    let incomplete = false;
    if (source.sitemapUrl) {
      const sitemapRoot = new URL(source.sitemapUrl);
      const robots = await this.robotsFor(sitemapRoot);
      if (!robots.isAllowed(sitemapRoot.href)) throw new SyncFailure('ROBOTS_DISALLOWED', `robots.txt disallows ${sitemapRoot.href} for MascotBot`);
      const listed = await readSitemaps(this.fetcher, sitemapRoot, this.deps.parsing, source.maxPages);
      incomplete = listed.incomplete;
      for (const url of listed.urls) if (URL.canParse(url) && this.scope.inScope(new URL(url))) add(pageKey(new URL(url)), 0);
    } else {
      const start = new URL(source.startUrl!);
      // The start page is always read for its links; it is learnt from only when the patterns include it.
      add(pageKey(start), 0, this.scope.inScope(start));
    }
    let fetched = 0;
    while (queue.length > 0 && fetched < source.maxPages) {
      // Fetched one by one (politely), then parsed together in one worker (see parseUntrustedPages).
      const batch: { item: QueuedPage; known: WebsitePage | undefined; fetched: FetchedPage | PageOutcome | null }[] = [];
      while (queue.length > 0 && fetched < source.maxPages && batch.length < PARSE_BATCH) {
        const item = queue.shift()!;
        const url = new URL(item.url);
        const robots = await this.robotsFor(url);
        if (!robots.isAllowed(item.url)) {
          if (!source.sitemapUrl && item.depth === 0) throw new SyncFailure('ROBOTS_DISALLOWED', `robots.txt disallows ${item.url} for MascotBot`);
          continue; // never fetched; a page learnt before is removed below
        }
        await this.politeDelay(robots.crawlDelayMs);
        fetched++;
        this.pagesTotal = Math.min(source.maxPages, fetched + queue.length);
        const pageKnown = byUrl.get(item.url);
        batch.push({ item, known: pageKnown, fetched: await this.fetchPage(item, pageKnown) });
      }
      const toParse = batch.filter((entry): entry is typeof entry & { fetched: FetchedPage } => entry.fetched !== null && 'body' in entry.fetched);
      const parsed = toParse.length > 0 ? await parseUntrustedPages(toParse.map((entry) => ({ bytes: entry.fetched.body, url: entry.fetched.url, contentType: entry.fetched.contentType })), this.deps.parsing) : [];
      for (const entry of batch) {
        const index = toParse.indexOf(entry as (typeof toParse)[number]);
        const outcome = index >= 0 ? await this.learn(entry.item, entry.known, toParse[index]!.fetched, parsed[index]!) : (entry.fetched as PageOutcome | null);
        const { item } = entry;
        // The start page could not be read: nothing can be said about the rest of the site.
        if (!source.sitemapUrl && item.depth === 0 && (outcome === null || outcome.gone)) {
          throw new SyncFailure('START_PAGE_UNREADABLE', `The start page ${item.url} could not be read; pages learnt before are kept`);
        }
        if (!source.sitemapUrl && item.depth < source.maxDepth) {
          for (const link of outcome?.links ?? []) if (URL.canParse(link) && this.scope.inScope(new URL(link))) add(pageKey(new URL(link)), item.depth + 1);
        }
      }
      this.pagesDone = fetched;
      this.pagesTotal = Math.min(source.maxPages, fetched + queue.length);
      if (!(await this.renewLease())) return false;
    }
    // A sitemap of the index could not be read: its pages may still exist, so none is removed for being absent.
    if (!incomplete) await this.removeUnseen();
    return true;
  }

  private async politeDelay(delayMs: number): Promise<void> {
    const wait = Math.min(delayMs, MAX_CRAWL_DELAY_MS) - (Date.now() - this.lastRequestAt);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lastRequestAt = Date.now();
  }

  /**
   * Fetches one page: a body to parse, or the page's outcome when there is none (not modified, gone, an
   * error, which is recorded; null when it could not be read).
   */
  private async fetchPage(item: QueuedPage, known: WebsitePage | undefined): Promise<FetchedPage | PageOutcome | null> {
    const { url, depth } = item;
    const conditional = known?.documentId ? { etag: known.etag ?? null, lastModified: known.lastModified ?? null } : {};
    const result = await this.fetcher.get(url, { accept: ACCEPT_HTML, ...conditional });
    if (result.kind === 'error') return this.pageError(url, depth, known, result.code, result.message);
    if (result.status === 304 && known?.documentId) {
      await this.keep(known, { etag: result.headers.get('etag') ?? known.etag ?? null, lastModified: result.headers.get('last-modified') ?? known.lastModified ?? null });
      return { links: known.links };
    }
    if (result.status === 404 || result.status === 410) {
      if (known) await this.removePages([known]);
      return { links: [], gone: true };
    }
    if (result.status < 200 || result.status >= 300) return this.pageError(url, depth, known, `HTTP_${result.status}`, `${url} answered HTTP ${result.status}`);
    const type = result.headers.get('content-type') ?? 'text/html';
    if (!HTML_TYPES.test(type)) return this.pageError(url, depth, known, 'UNSUPPORTED_CONTENT_TYPE', `${url} is ${type.split(';')[0]}, not an HTML page`);
    return { url: result.url, body: result.body, contentType: type, etag: result.headers.get('etag'), lastModified: result.headers.get('last-modified') };
  }

  /** Compares a parsed page with what was learnt from it, and learns it again when it changed. */
  private async learn(item: QueuedPage, known: WebsitePage | undefined, fetched: FetchedPage, result: PageParseResult): Promise<PageOutcome | null> {
    const { url, depth } = item;
    if ('error' in result) return this.pageError(url, depth, known, result.error.code, `${url}: ${result.error.message}`);
    const parsed = result.page;
    if (!item.store) return { links: parsed.links };
    const validators = { etag: fetched.etag, lastModified: fetched.lastModified };
    if (known?.documentId && known.contentHash === parsed.contentHash) {
      // The server sent the page again but its content is the same: nothing to embed.
      await this.keep(known, { ...validators, links: parsed.links });
      return { links: parsed.links };
    }
    if (parsed.chunks.length === 0) return this.pageError(url, depth, known, 'PAGE_EMPTY', `${url} has no text content outside navigation and page chrome`);
    const title = (parsed.title ?? url).slice(0, MAX_TITLE_CHARS);
    let documentId: string;
    try {
      const stored = await this.deps.knowledge.embedAndStore(this.em, this.source.tenantId, this.source.botId, {
        title,
        sourceType: 'url',
        // Per source and page: two pages with the same text (or two sources of one page) stay separate documents.
        contentHash: createHash('sha256').update(`${this.source.id}\n${fetched.url}\n${parsed.contentHash}`).digest('hex'),
        sizeBytes: parsed.textBytes,
        chunks: parsed.chunks,
        sourceUrl: fetched.url,
      }, (embedder, chunks) => embedder.embed(chunks.map(chunkEmbeddingText)));
      documentId = stored!.id;
    } catch (error) {
      if (error instanceof DomainError || error instanceof EmbeddingError) return this.pageError(url, depth, known, error.code, `${url}: ${error.message}`);
      throw error;
    }
    await inTenant(this.em.fork(), this.source.tenantId, async (tx) => {
      // Deleted meanwhile (deleteWebsiteSource): the page just stored must not outlive its source.
      if (!(await tx.findOne(WebsiteSource, { id: this.source.id }))) return this.deleteDocuments(tx, [documentId]);
      const row = known ? await tx.findOne(WebsitePage, { id: known.id }) : null;
      const previous = row?.documentId ?? null;
      const values = {
        title, etag: validators.etag, lastModified: validators.lastModified, contentHash: parsed.contentHash, links: parsed.links, depth,
        documentId, errorCode: null, errorMessage: null, lastSeenSyncId: this.source.syncId, fetchedAt: new Date(),
      };
      if (row) tx.assign(row, values);
      else tx.create(WebsitePage, { id: randomUUID(), tenantId: this.source.tenantId, sourceId: this.source.id, botId: this.source.botId, url, ...values });
      await tx.flush();
      // The page's previous version goes once the new one is stored; cached answers may quote it.
      if (previous && previous !== documentId) await this.deleteDocuments(tx, [previous]);
    });
    return { links: parsed.links };
  }

  /** Records a page that could not be read; a version learnt before stays until the page is gone for good. */
  private async pageError(url: string, depth: number, known: WebsitePage | undefined, code: string, message: string): Promise<null> {
    const source = await inTenant(this.em.fork(), this.source.tenantId, async (tx) => {
      const row = known ? await tx.findOne(WebsitePage, { id: known.id }) : null;
      const values = { errorCode: code, errorMessage: message.slice(0, 1000), lastSeenSyncId: this.source.syncId, fetchedAt: new Date(), depth };
      if (row) tx.assign(row, values);
      else {
        tx.create(WebsitePage, {
          id: randomUUID(), tenantId: this.source.tenantId, sourceId: this.source.id, botId: this.source.botId, url, title: null, etag: null,
          lastModified: null, contentHash: null, links: [], documentId: null, ...values,
        });
      }
      await tx.flush();
      return tx.findOne(WebsiteSource, { id: this.source.id });
    });
    if (source) await publishSyncEvent(this.deps.bus, source, { status: 'running', errorCode: code, errorMessage: message, pageUrl: url });
    return null;
  }

  private async keep(known: WebsitePage, values: { etag: string | null; lastModified: string | null; links?: string[] }): Promise<void> {
    await inTenant(this.em.fork(), this.source.tenantId, async (tx) => {
      const row = await tx.findOne(WebsitePage, { id: known.id });
      if (!row) return;
      tx.assign(row, { ...values, errorCode: null, errorMessage: null, lastSeenSyncId: this.source.syncId, fetchedAt: new Date() });
      await tx.flush();
    });
  }

  private async deleteDocuments(tx: EntityManager, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await tx.execute(`delete from knowledge_document where id in (${ids.map(() => '?').join(', ')})`, ids);
    await tx.execute('delete from answer_cache where bot_id = ?', [this.source.botId]);
  }

  private async removePages(pages: WebsitePage[]): Promise<void> {
    if (pages.length === 0) return;
    await inTenant(this.em.fork(), this.source.tenantId, async (tx) => {
      await this.deleteDocuments(tx, pages.map((page) => page.documentId).filter((id): id is string => id !== null && id !== undefined));
      await tx.nativeDelete(WebsitePage, { id: { $in: pages.map((page) => page.id) } });
    });
  }

  /** Pages not met in this sync: gone from the sitemap or the crawl, disallowed, or past the page limit. */
  private async removeUnseen(): Promise<void> {
    const unseen = await inTenant(this.em.fork(), this.source.tenantId, (tx) =>
      tx.find(WebsitePage, { sourceId: this.source.id, $or: [{ lastSeenSyncId: null }, { lastSeenSyncId: { $ne: this.source.syncId } }] }));
    await this.removePages(unseen);
  }

  private async renewLease(): Promise<boolean> {
    const source = await inTenant(this.em.fork(), this.source.tenantId, async (tx) => {
      const row = await tx.findOne(WebsiteSource, { id: this.source.id, syncId: this.source.syncId, syncStatus: 'running' });
      if (!row) return null;
      tx.assign(row, { leaseUntil: new Date(Date.now() + LEASE_MS), pagesDone: this.pagesDone, pagesTotal: Math.max(this.pagesTotal, this.pagesDone) });
      await tx.flush();
      return row;
    });
    if (source) await publishSyncEvent(this.deps.bus, source);
    return source !== null;
  }
}

/** Takes a queued sync (or one whose instance stopped); null when there is nothing to run. */
async function claim(em: EntityManager, job: WebsiteSyncJob): Promise<WebsiteSource | null> {
  return inTenant(em, job.tenantId, async (tx) => {
    const source = await tx.findOne(WebsiteSource, { id: job.sourceId, syncId: job.syncId });
    if (!source) return null;
    const stale = source.syncStatus === 'running' && (source.leaseUntil?.getTime() ?? 0) < Date.now();
    if (source.syncStatus !== 'queued' && !stale) return null;
    tx.assign(source, { syncStatus: 'running', leaseUntil: new Date(Date.now() + LEASE_MS), lastSyncStartedAt: new Date(), pagesDone: 0, pagesTotal: null });
    await tx.flush();
    return source;
  });
}

async function finish(deps: WebsiteSyncDeps, job: WebsiteSyncJob, outcome: { status: 'succeeded' | 'failed'; code?: string; message?: string }): Promise<void> {
  const source = await inTenant(deps.orm.em.fork(), job.tenantId, async (tx) => {
    const row = await tx.findOne(WebsiteSource, { id: job.sourceId, syncId: job.syncId, syncStatus: 'running' });
    if (!row) return null;
    const now = new Date();
    tx.assign(row, {
      syncStatus: 'idle', leaseUntil: null, lastSyncedAt: now, lastSyncOutcome: outcome.status,
      lastErrorCode: outcome.code ?? null, lastErrorMessage: outcome.message ?? null,
      nextSyncAt: new Date(now.getTime() + row.syncIntervalHours * 3_600_000),
    });
    await tx.flush();
    return row;
  });
  if (source) await publishSyncEvent(deps.bus, source);
}

/** Queue consumer: runs one sync. Safe to receive twice (the claim lets one run it). */
export async function runWebsiteSync(deps: WebsiteSyncDeps, payload: unknown): Promise<void> {
  const parsed = syncJobSchema.safeParse(payload);
  if (!parsed.success) {
    deps.logger.warn({ issues: parsed.error.issues }, 'dropped a malformed website sync job');
    return;
  }
  const job = parsed.data;
  const source = await claim(deps.orm.em.fork(), job);
  if (!source) return;
  await publishSyncEvent(deps.bus, source);
  try {
    if (await new SiteSync(deps, source).run()) await finish(deps, job, { status: 'succeeded' });
  } catch (error) {
    if (error instanceof SyncFailure) {
      await finish(deps, job, { status: 'failed', code: error.code, message: error.message });
      return;
    }
    // Released, so the queue's retry can claim it at once; the sweep takes it over if the retries run out.
    await inTenant(deps.orm.em.fork(), job.tenantId, (tx) =>
      tx.nativeUpdate(WebsiteSource, { id: job.sourceId, syncId: job.syncId, syncStatus: 'running' }, { leaseUntil: new Date(0) })).catch(() => undefined);
    deps.logger.error({ err: error, sourceId: job.sourceId }, 'a website sync failed unexpectedly; it will be retried');
    throw error;
  }
}

/** Queues the sources that are due and hands over the syncs nobody runs; returns how many. */
async function sweep(deps: WebsiteSyncDeps): Promise<number> {
  const rows = await deps.orm.em.fork().execute<{ tenant_id: string; source_id: string; sync_id: string | null }[]>(
    'select tenant_id, source_id, sync_id from mascot_website_sources_to_sync(?, ?)',
    [new Date(), SWEEP_BATCH],
  );
  let handed = 0;
  for (const row of rows) {
    const handOver = await inTenant(deps.orm.em.fork(), row.tenant_id, async (tx) => {
      const source = await tx.findOne(WebsiteSource, { id: row.source_id });
      if (!source) return null;
      if (source.syncStatus === 'idle') {
        if (!source.nextSyncAt || source.nextSyncAt.getTime() > Date.now()) return null;
        tx.assign(source, { syncStatus: 'queued', syncId: randomUUID() });
        await tx.flush();
      }
      if (!source.syncId) return null;
      // A takeover is a new hand-over of the same sync: keyed by the lease it replaces, so the dedupe window
      // of the sync's first hand-over does not swallow it.
      const dedupeId = source.syncStatus === 'running' ? `${source.syncId}:${source.leaseUntil?.getTime() ?? 0}` : source.syncId;
      return { syncId: source.syncId, dedupeId };
    });
    if (!handOver) continue;
    await enqueueSync(deps.jobs, { tenantId: row.tenant_id, sourceId: row.source_id, syncId: handOver.syncId }, handOver.dedupeId);
    handed++;
  }
  return handed;
}

/** Consumes sync jobs and starts the sweep. Resolves to the stop function. */
export async function startWebsiteSyncs(deps: WebsiteSyncDeps): Promise<() => Promise<void>> {
  const consumer: JobConsumer = await deps.jobs.consume(WEBSITE_SYNC_QUEUE, ({ payload }) => runWebsiteSync(deps, payload), {
    concurrency: 1,
    maxAttempts: 3,
    onDeadLetter: (payload, error) => deps.logger.error({ err: error, payload }, 'a website sync failed repeatedly; the sweep hands it over again'),
  });
  const stopSweeps = startRepeatingSweep(
    () =>
      sweep(deps).then(
        (handed) => handed > 0 && deps.logger.info({ sources: handed }, 'handed website syncs to the job queue'),
        (error: unknown) => deps.logger.warn({ err: error }, 'looking for website syncs failed; the next sweep retries'),
      ),
    () => deps.limits.sweepMs,
  );
  return async () => {
    await stopSweeps();
    await consumer.stop();
  };
}

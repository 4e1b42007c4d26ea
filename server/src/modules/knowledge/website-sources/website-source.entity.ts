import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '../../../core/db/index.ts';

export type WebsiteSyncStatus = 'idle' | 'queued' | 'running';

/**
 * A website a bot learns from. The row is also the durable state of its sync (Migration20261208003000):
 * `syncStatus` queued/running with a lease, `nextSyncAt` for the scheduled re-sync.
 */
export const WebsiteSource = defineEntity({
  name: 'WebsiteSource',
  tableName: 'website_source',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    botId: p.uuid(),
    /** Crawled from here, following links on the same site (exclusive with sitemapUrl). */
    startUrl: p.string().nullable(),
    /** The pages a sitemap (or sitemap index) lists (exclusive with startUrl). */
    sitemapUrl: p.string().nullable(),
    includePatterns: p.json<string[]>(),
    excludePatterns: p.json<string[]>(),
    maxPages: p.integer(),
    maxDepth: p.integer(),
    syncIntervalHours: p.integer(),
    syncStatus: p.string().$type<WebsiteSyncStatus>(),
    /** The sync in progress (or last queued): the job id on the ingestion subscription. */
    syncId: p.uuid().nullable(),
    leaseUntil: p.datetime().nullable(),
    nextSyncAt: p.datetime().nullable(),
    lastSyncStartedAt: p.datetime().nullable(),
    lastSyncedAt: p.datetime().nullable(),
    lastSyncOutcome: p.string().$type<'succeeded' | 'failed'>().nullable(),
    lastErrorCode: p.string().nullable(),
    lastErrorMessage: p.string().nullable(),
    pagesDone: p.integer(),
    pagesTotal: p.integer().nullable(),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type WebsiteSource = InferEntity<typeof WebsiteSource>;

/** One page of a website source: what the next sync compares against, and the document holding its passages. */
export const WebsitePage = defineEntity({
  name: 'WebsitePage',
  tableName: 'website_page',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    sourceId: p.uuid(),
    botId: p.uuid(),
    url: p.string(),
    title: p.string().nullable(),
    etag: p.string().nullable(),
    lastModified: p.string().nullable(),
    /** SHA-256 of the page's Markdown: an unchanged page is not embedded again. */
    contentHash: p.string().nullable(),
    /** Same-site links found on the page, kept so a 304 still lets the crawl go on. */
    links: p.json<string[]>(),
    depth: p.integer(),
    documentId: p.uuid().nullable(),
    errorCode: p.string().nullable(),
    errorMessage: p.string().nullable(),
    lastSeenSyncId: p.uuid().nullable(),
    fetchedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type WebsitePage = InferEntity<typeof WebsitePage>;

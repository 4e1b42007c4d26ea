import { GraphQLDateTimeISO } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum WebsiteSyncStatusEnum {
  IDLE = 'idle',
  QUEUED = 'queued',
  RUNNING = 'running',
}
registerEnumType(WebsiteSyncStatusEnum, {
  name: 'WebsiteSyncStatus',
  valuesConfig: {
    IDLE: { description: 'Not syncing; the next scheduled sync is at nextSyncAt.' },
    QUEUED: { description: 'A sync waits for a worker.' },
    RUNNING: { description: 'A sync is reading the site (follow it with ingestionEvents, jobId = syncJobId).' },
  },
});

export enum WebsiteSyncOutcomeEnum {
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
}
registerEnumType(WebsiteSyncOutcomeEnum, {
  name: 'WebsiteSyncOutcome',
  description: 'SUCCEEDED: the site was read (pages may still have errors, see pageErrors); FAILED: its sitemap or start page could not be read, and pages learnt before were kept.',
});

@InputType({ description: 'A website to learn from: give exactly one of startUrl and sitemapUrl.' })
export class WebsiteSourceInput {
  @Field(() => String, { nullable: true, description: 'Crawl from this page, following links on the same site up to maxDepth.' })
  startUrl?: string | null;
  @Field(() => String, { nullable: true, description: 'Learn the pages this sitemap (or sitemap index) lists; links are not followed.' })
  sitemapUrl?: string | null;
  @Field(() => [String], {
    nullable: true,
    description: 'Glob patterns on the URL path (e.g. /docs/**, which also matches /docs); only matching pages are learnt. Default: every page of the site.',
  })
  includePatterns?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Glob patterns on the URL path of pages never fetched (e.g. /blog/**); they win over includePatterns.' })
  excludePatterns?: string[] | null;
  @Field(() => Int, { nullable: true, description: 'At most this many pages are fetched per sync (1 to 1000, default 100).' }) maxPages?: number | null;
  @Field(() => Int, { nullable: true, description: 'Links followed from the start page, in clicks (0 to 10, default 3). Ignored for sitemaps.' })
  maxDepth?: number | null;
  @Field(() => Int, { nullable: true, description: 'Hours between scheduled re-syncs (1 to 720, default 24).' }) syncIntervalHours?: number | null;
}

@ObjectType('WebsitePageError', { description: 'A page of a website source that could not be learnt from at its last sync.' })
export class WebsitePageErrorType {
  @Field(() => String) url!: string;
  @Field(() => String, {
    description: 'e.g. DESTINATION_NOT_ALLOWED (a redirect to a private address), OFF_SITE_REDIRECT, HTTP_500, TIMEOUT, PAGE_TOO_LARGE, UNSUPPORTED_CONTENT_TYPE, PAGE_EMPTY, QUOTA_EXCEEDED',
  })
  code!: string;
  @Field(() => String) message!: string;
}

@ObjectType('WebsiteSyncError', { description: 'Why the last sync of a website source failed.' })
export class WebsiteSyncErrorType {
  @Field(() => String, { description: 'SITEMAP_UNREADABLE, START_PAGE_UNREADABLE or ROBOTS_DISALLOWED' }) code!: string;
  @Field(() => String) message!: string;
}

@ObjectType('WebsiteSource', { description: "A website in a bot's knowledge: its pages are knowledge documents (source kind URL), kept in sync." })
export class WebsiteSourceType {
  @Field(() => ID) id!: string;
  @Field(() => ID) botId!: string;
  @Field(() => String, { nullable: true }) startUrl!: string | null;
  @Field(() => String, { nullable: true }) sitemapUrl!: string | null;
  @Field(() => [String]) includePatterns!: string[];
  @Field(() => [String]) excludePatterns!: string[];
  @Field(() => Int) maxPages!: number;
  @Field(() => Int) maxDepth!: number;
  @Field(() => Int) syncIntervalHours!: number;
  @Field(() => WebsiteSyncStatusEnum) syncStatus!: WebsiteSyncStatusEnum;
  @Field(() => ID, { nullable: true, description: 'The current (or last) sync: its jobId on ingestionEvents.' }) syncJobId!: string | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) lastSyncedAt!: Date | null;
  @Field(() => WebsiteSyncOutcomeEnum, { nullable: true }) lastSyncOutcome!: WebsiteSyncOutcomeEnum | null;
  @Field(() => WebsiteSyncErrorType, { nullable: true, description: 'Set when lastSyncOutcome is FAILED.' }) lastSyncError!: WebsiteSyncErrorType | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) nextSyncAt!: Date | null;
  @Field(() => Int, { description: 'Pages learnt (each a knowledge document).' }) pageCount!: number;
  @Field(() => Int, { description: 'Pages that could not be learnt from at their last fetch.' }) errorCount!: number;
  @Field(() => [WebsitePageErrorType], { description: 'Those pages (up to 100), with why.' }) pageErrors!: WebsitePageErrorType[];
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
}

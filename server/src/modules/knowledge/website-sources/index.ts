export { WebsitePage, WebsiteSource } from './website-source.entity.ts';
export { WebsiteSourcesService } from './website-sources.service.ts';
export { WebsiteSourcesResolver } from './website-sources.resolver.ts';
export { WEBSITE_SYNC_QUEUE, startWebsiteSyncs, type WebsiteSyncLimits } from './website-sync.job.ts';

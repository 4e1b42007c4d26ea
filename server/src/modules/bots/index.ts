export { BotsResolver } from './bots.resolver.ts';
export { BotsService, type AvatarLookup, type KnowledgeSnapshotter, type LiveBot, type ProviderUrlCheck, type VersionDiff } from './bots.service.ts';
export { readStoredBundle } from './bot-bundle-store.ts';
export { Bot } from './bot.entity.ts';
export { BotVersion } from './bot-version.entity.ts';

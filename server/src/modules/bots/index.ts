export { BotsResolver } from './bots.resolver.ts';
export { BotLifecycleResolver } from './bot-lifecycle.resolver.ts';
export { BotsService, type AvatarLookup, type KnowledgeSnapshotter, type LiveBot, type ProviderUrlCheck, type VersionDiff } from './bots.service.ts';
export { BotLifecycleService, type BotLifecycleOptions } from './bot-lifecycle.service.ts';
export { BOT_PURGE_QUEUE, startBotPurges } from './bot-purge.ts';
export { BotVersionDiffType } from './bots.types.ts';
export { readStoredBundle } from './bot-bundle-store.ts';
export { Bot } from './bot.entity.ts';
export { BotVersion } from './bot-version.entity.ts';

export type { AiProvider, Persona, ProviderPassage, ReplyCitation, ReplyRequest, ReplyStream, TokenUsage } from './ai-provider.ts';
export { createOfflineProvider } from './offline-provider.ts';
export { createProviderRouter, type ProviderRouterOptions } from './provider-router.ts';
export { LEAK_REPLACEMENT } from './output-guard.ts';
export { PRICING_TABLE, priceUsage, type PricedUsage } from './pricing.ts';
export { CompatibleEndpoints } from './compatible-endpoints.ts';

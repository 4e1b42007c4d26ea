export type { AiProvider, Persona, ProviderPassage, ReplyCitation, ReplyRequest, ReplyStream, TokenUsage } from './ai-provider.ts';
export { createOfflineProvider } from './offline-provider.ts';

import type { ProviderEntry, ProviderKind } from '@mascot/bot-bundle';
import type { TokenUsage } from './ai-provider.ts';
import type { AssembledPrompt } from './prompt.ts';

/** A provider's stream once the HTTP response is streaming: text deltas, and usage once it is over. */
export interface OpenedStream {
  deltas: AsyncIterator<string>;
  /** Usage as the provider billed it; undefined until reported (or when it never is). */
  usage(): TokenUsage | undefined;
}

/**
 * One remote endpoint of one provider kind, called through its official SDK with the SDK's own
 * retries off (the router retries, so attempts do not multiply).
 */
export interface ChatBackend {
  kind: Exclude<ProviderKind, 'offline'>;
  /** Identifies the endpoint for its circuit breaker and in logs: kind and origin, never a key. */
  endpoint: string;
  open(prompt: AssembledPrompt, entry: ProviderEntry, signal: AbortSignal): Promise<OpenedStream>;
  /** Loads what `open` needs (the SDK, on first use); awaited before the first-token timeout starts. */
  prepare(): Promise<void>;
}

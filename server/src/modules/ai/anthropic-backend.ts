import type Anthropic from '@anthropic-ai/sdk';
import type { TokenUsage } from './ai-provider.ts';
import { ProviderCallError } from './provider-error.ts';
import type { ChatBackend, OpenedStream } from './chat-backend.ts';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

/**
 * Anthropic's Messages API, streaming, through the official SDK. Input tokens arrive with
 * `message_start`, output tokens with the final `message_delta`.
 */
export function anthropicBackend(options: { apiKey: string; baseUrl: string; headersTimeoutMs: number }): ChatBackend {
  // The SDK is loaded with the first reply that uses it: hundreds of modules a server on the offline provider never needs.
  let client: Promise<Anthropic> | undefined;
  const connect = () => (client ??= import('@anthropic-ai/sdk').then(({ default: Anthropic }) => new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseUrl,
    maxRetries: 0,
    timeout: options.headersTimeoutMs,
    logLevel: 'off',
  })));
  return {
    kind: 'anthropic',
    endpoint: `anthropic ${new URL(options.baseUrl).origin}`,
    prepare: async () => void (await connect()),
    async open(prompt, entry, signal): Promise<OpenedStream> {
      const stream = await (await connect()).messages.create(
        {
          model: entry.model,
          system: prompt.system,
          messages: prompt.messages,
          max_tokens: prompt.maxOutputTokens,
          stream: true,
          ...(entry.temperature === undefined ? {} : { temperature: Math.min(entry.temperature, 1) }), // Anthropic's range is 0..1
        },
        { signal, maxRetries: 0 },
      );
      let inputTokens: number | undefined;
      let outputTokens: number | undefined;
      async function* deltas() {
        let stopped = false;
        for await (const event of stream) {
          if (event.type === 'message_start') inputTokens = event.message.usage.input_tokens;
          else if (event.type === 'message_delta') outputTokens = event.usage.output_tokens;
          else if (event.type === 'message_stop') stopped = true;
          else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta' && event.delta.text) yield event.delta.text;
        }
        // A connection cut (or an abort) ends the SDK's iteration quietly; only message_stop says the answer is whole.
        if (!stopped) throw new ProviderCallError('bad-stream', 'The stream ended before the answer was complete.');
      }
      const usage = (): TokenUsage | undefined =>
        inputTokens === undefined || outputTokens === undefined ? undefined : { inputTokens, outputTokens };
      return { deltas: deltas(), usage };
    },
  };
}

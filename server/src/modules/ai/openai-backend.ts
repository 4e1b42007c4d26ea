import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { TokenUsage } from './ai-provider.ts';
import { ProviderCallError } from './provider-error.ts';
import type { ChatBackend, OpenedStream } from './chat-backend.ts';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * OpenAI's Chat Completions API, streaming, through the official SDK; also every OpenAI-compatible
 * server (Ollama, vLLM, llama.cpp, LM Studio) at its own base URL. Usage comes from the final chunk
 * that `stream_options.include_usage` asks for; servers that ignore the option report none.
 */
export function openAiBackend(options: {
  kind: 'openai' | 'openai-compatible';
  apiKey: string;
  baseUrl: string;
  headersTimeoutMs: number;
  /** For endpoints tenants name: the outbound policy's fetch (checked, pinned, no redirects). */
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
}): ChatBackend {
  // The SDK is loaded with the first reply that uses it: hundreds of modules a server on the offline provider never needs.
  let client: Promise<OpenAI> | undefined;
  const connect = () => (client ??= import('openai').then(({ default: OpenAI }) => new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseUrl,
    // Explicit, so the SDK reads nothing from the environment (only core/config does).
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: 0,
    timeout: options.headersTimeoutMs,
    logLevel: 'off',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  })));
  return {
    kind: options.kind,
    endpoint: `${options.kind} ${new URL(options.baseUrl).origin}`,
    prepare: async () => void (await connect()),
    async open(prompt, entry, signal): Promise<OpenedStream> {
      const limit = options.kind === 'openai'
        ? { max_completion_tokens: prompt.maxOutputTokens }
        : { max_tokens: prompt.maxOutputTokens }; // what self-hosted servers understand
      const params: ChatCompletionCreateParamsStreaming = {
        model: entry.model,
        messages: [{ role: 'system', content: prompt.system }, ...prompt.messages],
        stream: true,
        stream_options: { include_usage: true },
        ...limit,
        ...(entry.temperature === undefined ? {} : { temperature: entry.temperature }),
      };
      const stream = await (await connect()).chat.completions.create(params, { signal, maxRetries: 0 });
      let usage: TokenUsage | undefined;
      async function* deltas() {
        let finished = false;
        for await (const chunk of stream) {
          if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
          const choice = chunk.choices[0];
          if (choice?.finish_reason) finished = true;
          if (choice?.delta?.content) yield choice.delta.content;
        }
        // A connection cut (or an abort) ends the SDK's iteration quietly; only a finish_reason says the answer is whole.
        if (!finished) throw new ProviderCallError('bad-stream', 'The stream ended before the answer was complete.');
      }
      return { deltas: deltas(), usage: () => usage };
    },
  };
}

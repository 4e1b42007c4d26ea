import { sse, startFakeProviderServer, type FakeProviderServer, type FakeUsage, type WireFormat } from './fake-provider-server.ts';

export { FAKE_ANSWER, type FakeProviderServer, type FakeReply, type RecordedRequest } from './fake-provider-server.ts';

/**
 * A local server speaking OpenAI's Chat Completions streaming format (`chat.completion.chunk` SSE
 * frames, the usage chunk when `stream_options.include_usage` is set, then `data: [DONE]`), for the
 * real `openai` SDK. Give the SDK `url` as its baseURL (it ends in /v1).
 */
type ChatMessage = { role: string; content: string | { type: string; text?: string }[] };

const textOf = (message: ChatMessage | undefined): string =>
  typeof message?.content === 'string' ? message.content : (message?.content ?? []).map((part) => part.text ?? '').join('');

function chunk(model: string, delta: Record<string, unknown>, finishReason: string | null = null) {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: 1_767_225_600,
    model,
    system_fingerprint: 'fp_fake',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
}

const openAiWire: WireFormat = {
  path: '/v1/chat/completions',
  systemPrompt: (body) => (body.messages as ChatMessage[]).filter((m) => m.role === 'system' || m.role === 'developer').map(textOf).join('\n'),
  promptText: (body) => (body.messages as ChatMessage[]).map(textOf).join('\n'),
  lastUserText: (body) => textOf((body.messages as ChatMessage[]).findLast((m) => m.role === 'user')),
  errorBody: (status, message) => ({
    error: { message, type: status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code: null },
  }),
  preamble: (model) => [sse(chunk(model, { role: 'assistant', content: '', refusal: null }))],
  delta: (model, text) => sse(chunk(model, { content: text })),
  finish(model, usage: FakeUsage, body) {
    const frames = [sse(chunk(model, {}, 'stop'))];
    if (body.stream_options?.include_usage) {
      frames.push(sse({
        ...chunk(model, {}),
        choices: [],
        usage: { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens },
      }));
    }
    frames.push(sse('[DONE]'));
    return frames;
  },
  malformed: () => 'data: {"id":"chatcmpl-fake","choices":[{"delta":{"content":\n\n',
};

export function startFakeOpenAiServer(): Promise<FakeProviderServer> {
  return startFakeProviderServer(openAiWire, '/v1');
}

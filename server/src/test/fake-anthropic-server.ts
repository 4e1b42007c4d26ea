import { sse, startFakeProviderServer, type FakeProviderServer, type WireFormat } from './fake-provider-server.ts';

export { FAKE_ANSWER, type FakeProviderServer, type FakeReply, type RecordedRequest } from './fake-provider-server.ts';

/**
 * A local server speaking Anthropic's Messages streaming format (`message_start`,
 * `content_block_start`, `content_block_delta`…, `message_delta` with the output usage,
 * `message_stop`), for the real `@anthropic-ai/sdk`. Give the SDK `url` as its baseURL.
 */
type Block = { type: string; text?: string };
type Message = { role: string; content: string | Block[] };

const textOf = (content: string | Block[] | undefined): string =>
  typeof content === 'string' ? content : (content ?? []).map((block) => block.text ?? '').join('');

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

const anthropicWire: WireFormat = {
  path: '/v1/messages',
  systemPrompt: (body) => textOf(body.system),
  promptText: (body) => [textOf(body.system), ...(body.messages as Message[]).map((m) => textOf(m.content))].join('\n'),
  lastUserText: (body) => textOf((body.messages as Message[]).findLast((m) => m.role === 'user')?.content),
  errorBody: (status, message) => ({ type: 'error', error: { type: ERROR_TYPES[status] ?? 'api_error', message } }),
  preamble: (model, usage) => [
    sse({
      type: 'message_start',
      message: {
        id: 'msg_fake', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null,
        usage: { input_tokens: usage.inputTokens, output_tokens: 1 },
      },
    }, 'message_start'),
    sse({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start'),
    sse({ type: 'ping' }, 'ping'),
  ],
  delta: (_model, text) => sse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, 'content_block_delta'),
  finish: (_model, usage) => [
    sse({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
    sse({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.outputTokens } }, 'message_delta'),
    sse({ type: 'message_stop' }, 'message_stop'),
  ],
  malformed: () => 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":\n\n',
};

export function startFakeAnthropicServer(): Promise<FakeProviderServer> {
  return startFakeProviderServer(anthropicWire);
}

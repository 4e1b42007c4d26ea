import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { splitIntoStreamTokens } from '@mascot/knowledge-core';

/**
 * The scriptable core of the fake OpenAI and Anthropic servers: plain node:http speaking a provider's
 * streaming wire format (given as a `WireFormat`), so the real SDKs run their real code paths against
 * it. Each request takes the next queued `FakeReply` (or the default), and every request is recorded.
 */

export interface FakeReply {
  /** The answer, streamed word by word. Default: `FAKE_ANSWER`. */
  text?: string;
  /** Answer with this HTTP error (JSON error body in the provider's format) instead of a stream. */
  status?: number;
  /** With `status` (e.g. 429): the Retry-After header, in seconds. */
  retryAfterSeconds?: number;
  /** Headers and the stream preamble go out at once; the first text chunk waits this long. */
  firstTokenDelayMs?: number;
  /** Pause between text chunks. */
  tokenDelayMs?: number;
  /** After this many text chunks, send a chunk that is not valid JSON. */
  malformedAfter?: number;
  /** After this many text chunks, destroy the connection (no closing events). */
  cutAfter?: number;
  /**
   * Billed usage to report. Default: the words (whitespace-separated) of the prompt and of the answer,
   * so the same conversation always bills the same, whatever random marker the prompt carries.
   */
  usage?: { inputTokens: number; outputTokens: number };
  /**
   * Behave like a model that obeys prompt injections: when the last user content asks for the system
   * prompt (or to ignore instructions), answer with the system prompt verbatim.
   */
  obeyInjections?: boolean;
}

export const FAKE_ANSWER = 'The Pro plan costs 29 dollars per month [1].';

/** What a provider's wire format must say; the two fake servers implement it. */
export interface WireFormat {
  /** The streaming endpoint, e.g. `/v1/chat/completions`. */
  path: string;
  systemPrompt(body: any): string;
  /** All prompt text (system and every message), for the default usage count. */
  promptText(body: any): string;
  lastUserText(body: any): string;
  errorBody(status: number, message: string): unknown;
  /** SSE frames sent with the headers, before the first token (role chunk, message_start…). */
  preamble(model: string, usage: FakeUsage): string[];
  delta(model: string, text: string): string;
  /** Frames after the last token; `body` is the request (OpenAI reports usage only when asked). */
  finish(model: string, usage: FakeUsage, body: any): string[];
  malformed(): string;
}

export interface FakeUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
  /** Resolves once the connection is over: `completed` after a full answer, `aborted` if the client hung up first. */
  ended: Promise<'completed' | 'aborted' | 'cut'>;
}

export interface FakeProviderServer {
  /** The base URL to give the SDK. */
  url: string;
  requests: RecordedRequest[];
  /** Queues replies: each request takes the next one; once empty, requests get the default. */
  script(...replies: FakeReply[]): void;
  /** The reply for requests when the queue is empty (default: `{}`, i.e. FAKE_ANSWER). */
  setDefault(reply: FakeReply): void;
  /** Forgets recorded requests and queued replies. */
  reset(): void;
  close(): Promise<void>;
}

const INJECTION = /system prompt|ignore (?:all |any |your |previous |the )*instructions/i;

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

export function sse(data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

export async function startFakeProviderServer(wire: WireFormat, basePath = ''): Promise<FakeProviderServer> {
  let queue: FakeReply[] = [];
  let fallback: FakeReply = {};
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: any;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      let settle!: (how: 'completed' | 'aborted' | 'cut') => void;
      const ended = new Promise<'completed' | 'aborted' | 'cut'>((resolve) => (settle = resolve));
      requests.push({ path: req.url ?? '', headers: req.headers, body, ended });
      const reply = queue.shift() ?? fallback;
      void respond(res, req.url ?? '', body, reply).then(settle, () => settle('aborted'));
    });
  });

  async function respond(res: ServerResponse, path: string, body: any, reply: FakeReply): Promise<'completed' | 'aborted' | 'cut'> {
    if (path.split('?')[0] !== wire.path || !body) {
      sendJson(res, 404, wire.errorBody(404, `No route ${path}`));
      return 'completed';
    }
    if (reply.status) {
      const headers: Record<string, string> = reply.retryAfterSeconds === undefined ? {} : { 'retry-after': String(reply.retryAfterSeconds) };
      sendJson(res, reply.status, wire.errorBody(reply.status, `Scripted error ${reply.status}`), headers);
      return 'completed';
    }
    const model = String(body.model);
    const asked = wire.lastUserText(body);
    const text = reply.obeyInjections && INJECTION.test(asked) ? wire.systemPrompt(body) : (reply.text ?? FAKE_ANSWER);
    const usage = reply.usage ?? { inputTokens: wordCount(wire.promptText(body)), outputTokens: wordCount(text) };

    // The client hanging up (an aborted SDK request) ends the answer at once, even mid-pause.
    const hungUp = new AbortController();
    res.on('close', () => res.writableFinished || hungUp.abort());
    const pause = (ms: number | undefined) => (ms ? delay(ms, undefined, { signal: hungUp.signal }) : undefined);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(wire.preamble(model, usage).join(''));
    await pause(reply.firstTokenDelayMs);
    let sent = 0;
    for (const token of splitIntoStreamTokens(text)) {
      if (sent > 0) await pause(reply.tokenDelayMs);
      if (hungUp.signal.aborted) return 'aborted';
      if (reply.cutAfter !== undefined && sent >= reply.cutAfter) {
        // What was sent reaches the client (the kernel has it), then the connection dies without closing frames.
        await new Promise((resolve) => res.write('', resolve));
        res.socket?.destroy();
        return 'cut';
      }
      if (reply.malformedAfter !== undefined && sent === reply.malformedAfter) res.write(wire.malformed());
      res.write(wire.delta(model, token));
      sent++;
    }
    if (hungUp.signal.aborted) return 'aborted';
    res.end(wire.finish(model, usage, body).join(''));
    return 'completed';
  }

  function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(payload));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    requests,
    script: (...replies) => void queue.push(...replies),
    setDefault: (reply) => void (fallback = reply),
    reset() {
      queue = [];
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

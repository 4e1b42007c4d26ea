/**
 * Process 2 of the load bench: the fake OpenAI-compatible provider the tests use
 * (`server/src/test/fake-openai-server.ts`, the real SSE chat-completions wire format), answering
 * every request with the bench's answer at the bench's pace — and noting when it wrote each token.
 *
 * The shared fake has no per-token hook, so the stamps come from outside it: Node's
 * `http.server.request.start` diagnostics channel hands over each request and response; the body is
 * read alongside the fake's own reader (to find the visitor's tag in the question) and the response's
 * `write` is wrapped to stamp every frame that carries content, the moment the fake writes it.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startFakeOpenAiServer } from '../../server/src/test/fake-openai-server.ts';
import { serveParent } from './child-processes.ts';
import { tagIn } from './stream-metrics.ts';

const answer = process.env['BENCH_ANSWER'] ?? 'The Pro plan costs 29 dollars per month.';
const tokenDelayMs = Number(process.env['BENCH_TOKEN_DELAY_MS'] ?? 50);
const firstTokenDelayMs = Number(process.env['BENCH_FIRST_TOKEN_DELAY_MS'] ?? 0);

const now = () => performance.timeOrigin + performance.now();

/** Tag → when each content frame of that answer was written (several entries if a tag is asked twice). */
let emissions = new Map<string, number[]>();

subscribe('http.server.request.start', (message) => {
  const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
  const stamps: number[] = [];
  const body: Buffer[] = [];
  request.on('data', (chunk: Buffer) => body.push(chunk));
  request.on('end', () => {
    try {
      const messages = (JSON.parse(Buffer.concat(body).toString('utf8')) as { messages?: { role: string; content: unknown }[] }).messages ?? [];
      const question = messages.findLast((m) => m.role === 'user')?.content;
      const tag = typeof question === 'string' ? tagIn(question) : undefined;
      if (tag) emissions.set(tag, stamps);
    } catch {
      // Not a chat request with a JSON body (the fake answers those with an error); nothing to stamp.
    }
  });
  const write = response.write.bind(response) as (...args: unknown[]) => boolean;
  response.write = ((chunk: unknown, ...rest: unknown[]) => {
    // The preamble's role chunk has `"content":""`; every token frame has text.
    if (typeof chunk === 'string' && chunk.includes('"content":"') && !chunk.includes('"content":""')) stamps.push(now());
    return write(chunk, ...rest);
  }) as ServerResponse['write'];
});

const fake = await startFakeOpenAiServer();
fake.setDefault({ text: answer, firstTokenDelayMs, tokenDelayMs });

serveParent({ url: fake.url, pid: process.pid }, async (command: { kind: string; tags?: string[] }) => {
  if (command.kind === 'emissions') {
    // Handed over and forgotten: the next phase starts with an empty map.
    const taken = emissions;
    emissions = new Map();
    fake.reset(); // the fake records every request; a long run must not keep them all
    return Object.fromEntries(taken);
  }
  throw new Error(`unknown command ${command.kind}`);
}, () => fake.close());

import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { embedText } from '@mascot/knowledge-core';

/**
 * A local server speaking OpenAI's `POST /v1/embeddings` wire format, so tests run the real `openai`
 * SDK (OpenAI itself and OpenAI-compatible endpoints such as Ollama use the same format). Vectors are
 * the offline embedding folded to the model's dimension, so similar texts stay similar and retrieval
 * through a "remote" model still finds the right passages. Errors can be queued per request.
 */

export interface FakeEmbeddingError {
  status: number;
  /** Sent as `retry-after-ms` (the SDK honours it), so retries in tests take milliseconds. */
  retryAfterMs?: number;
}

export interface RecordedEmbeddingRequest {
  model: string;
  inputs: string[];
  dimensions: number | undefined;
  encodingFormat: string | undefined;
  authorization: string | undefined;
}

export interface FakeEmbeddingsServer {
  /** Base URL for the SDK, ending in `/v1`. */
  baseUrl: string;
  requests: RecordedEmbeddingRequest[];
  /** The next requests answer with these errors (null: a normal answer), in order, before normal answers resume. */
  failNext(...errors: (FakeEmbeddingError | null)[]): void;
  /** Every request fails this way until cleared (undefined). */
  failAlways(error: FakeEmbeddingError | undefined): void;
  close(): Promise<void>;
}

/** Native sizes of the models tests use; any other model answers 768-d vectors. */
const MODEL_DIMENSIONS: Record<string, number> = { 'text-embedding-3-small': 1536, 'text-embedding-3-large': 3072, 'nomic-embed-text': 768 };

/** Folds the 512-d offline vector into `dimensions` buckets with a fixed sign pattern, then normalises. */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const folded = new Array<number>(dimensions).fill(0);
  embedText(text).forEach((value, i) => {
    const bucket = (i * 7919) % dimensions;
    folded[bucket] = folded[bucket]! + (i % 3 === 0 ? -value : value);
  });
  const norm = Math.sqrt(folded.reduce((sum, v) => sum + v * v, 0)) || 1;
  return folded.map((v) => v / norm);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, error: FakeEmbeddingError): void {
  const type = error.status === 429 ? 'rate_limit_exceeded' : error.status === 401 ? 'invalid_api_key' : 'server_error';
  const headers: Record<string, string> = error.retryAfterMs === undefined ? {} : { 'retry-after-ms': String(error.retryAfterMs) };
  sendJson(res, error.status, { error: { message: `fake ${type}`, type, param: null, code: type } }, headers);
}

export async function startFakeEmbeddingsServer(options: { apiKey?: string } = {}): Promise<FakeEmbeddingsServer> {
  const requests: RecordedEmbeddingRequest[] = [];
  const queued: (FakeEmbeddingError | null)[] = [];
  let always: FakeEmbeddingError | undefined;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') return sendJson(res, 404, { error: { message: 'not found', type: 'invalid_request_error' } });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; input: string | string[]; dimensions?: number; encoding_format?: string };
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      requests.push({ model: body.model, inputs, dimensions: body.dimensions, encodingFormat: body.encoding_format, authorization: req.headers.authorization });
      if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) return sendError(res, { status: 401 });
      const error = queued.length > 0 ? queued.shift() : always;
      if (error) return sendError(res, error);
      const dimensions = body.dimensions ?? MODEL_DIMENSIONS[body.model] ?? 768;
      sendJson(res, 200, {
        object: 'list',
        model: body.model,
        data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(text, dimensions) })),
        usage: { prompt_tokens: inputs.join(' ').split(/\s+/).length, total_tokens: inputs.join(' ').split(/\s+/).length },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    failNext: (...errors) => void queued.push(...errors),
    failAlways: (error) => void (always = error),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@mascot/contracts';
import { fakeEmbedding, startFakeEmbeddingsServer, type FakeEmbeddingsServer } from '../../test/fake-openai-embeddings.ts';
import { OFFLINE_MODEL, embeddingModelKey, parseEmbeddingModelKey } from './embedding-model.ts';
import { EmbeddingError, EmbeddingProviders } from './embedding-providers.ts';

let openai: FakeEmbeddingsServer;
let ollama: FakeEmbeddingsServer;
let providers: EmbeddingProviders;

beforeAll(async () => {
  openai = await startFakeEmbeddingsServer({ apiKey: 'sk-test' });
  ollama = await startFakeEmbeddingsServer();
  providers = new EmbeddingProviders({
    openai: { apiKey: 'sk-test', baseUrl: openai.baseUrl },
    compatible: { baseUrl: ollama.baseUrl, apiKey: undefined },
  });
});
afterAll(async () => {
  await openai?.close();
  await ollama?.close();
});

const small = { provider: 'openai', model: 'text-embedding-3-small', dimensions: 512 } as const;

describe('embedding providers', () => {
  it('embed through the real OpenAI SDK: one vector per text, in order, with the key and requested size', async () => {
    const embedder = providers.embedderFor(small);
    const vectors = await embedder.embed(['refund policy', 'opening hours']);
    expect(vectors.map((v) => v.length)).toEqual([512, 512]);
    expect(vectors[1]![0]).toBeCloseTo(fakeEmbedding('opening hours', 512)[0]!, 9);
    expect(openai.requests.at(-1)).toMatchObject({
      model: 'text-embedding-3-small', inputs: ['refund policy', 'opening hours'], dimensions: 512, encodingFormat: 'float', authorization: 'Bearer sk-test',
    });
    expect(embedder.key).toBe('openai/text-embedding-3-small@512');
  });

  it('split large batches into several requests and keep the order', async () => {
    const texts = Array.from({ length: 130 }, (_, i) => `passage number ${i}`);
    const before = ollama.requests.length;
    const vectors = await providers.embedderFor({ provider: 'openai-compatible', model: 'nomic-embed-text', dimensions: null }).embed(texts);
    expect(ollama.requests.length - before).toBe(3);
    expect(vectors).toHaveLength(130);
    expect(vectors[129]).toEqual(fakeEmbedding('passage number 129', 768));
  });

  it('retry a rate-limited request as told by Retry-After and then succeed', async () => {
    openai.failNext({ status: 429, retryAfterMs: 5 });
    const before = openai.requests.length;
    const [vector] = await providers.embedderFor(small).embed(['shipping costs']);
    expect(vector).toHaveLength(512);
    expect(openai.requests.length - before).toBe(2);
  });

  it('report a rate limit that outlasts the retries as EMBEDDING_RATE_LIMITED', async () => {
    openai.failNext({ status: 429, retryAfterMs: 1 }, { status: 429, retryAfterMs: 1 }, { status: 429, retryAfterMs: 1 });
    await expect(providers.embedderFor(small).embed(['x'])).rejects.toMatchObject({ name: 'EmbeddingError', code: 'EMBEDDING_RATE_LIMITED' });
  });

  it('report a server error after the retries as EMBEDDING_FAILED with the status, never the response body', async () => {
    openai.failAlways({ status: 500, retryAfterMs: 1 });
    try {
      const error = await providers.embedderFor(small).embed(['x']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmbeddingError);
      expect(error).toMatchObject({ code: 'EMBEDDING_FAILED', message: 'The OpenAI embeddings API answered HTTP 500.' });
    } finally {
      openai.failAlways(undefined);
    }
  });

  it('report a refused key as EMBEDDING_UNAUTHORIZED', async () => {
    const wrongKey = new EmbeddingProviders({ openai: { apiKey: 'sk-wrong', baseUrl: openai.baseUrl }, compatible: undefined });
    await expect(wrongKey.embedderFor(small).embed(['x'])).rejects.toMatchObject({ code: 'EMBEDDING_UNAUTHORIZED' });
  });

  it('report an unreachable endpoint as EMBEDDING_UNAVAILABLE', async () => {
    const closed = await startFakeEmbeddingsServer();
    await closed.close();
    const gone = new EmbeddingProviders({ openai: undefined, compatible: { baseUrl: closed.baseUrl, apiKey: undefined } });
    await expect(gone.embedderFor({ provider: 'openai-compatible', model: 'nomic-embed-text', dimensions: null }).embed(['x']))
      .rejects.toMatchObject({ code: 'EMBEDDING_UNAVAILABLE' });
  });

  it('refuse a provider the server is not configured for with a typed input error', () => {
    const offline = EmbeddingProviders.offlineOnly();
    expect(offline.available()).toEqual(['offline']);
    expect(() => offline.embedderFor(small)).toThrow(expect.objectContaining({ code: ErrorCode.BAD_USER_INPUT }));
    expect(providers.available()).toEqual(['offline', 'openai', 'openai-compatible']);
  });

  it('embed offline without any network', async () => {
    const [vector] = await providers.embedderFor(OFFLINE_MODEL).embed(['hello']);
    expect(vector).toHaveLength(512);
  });

  it('name models by provider, model and requested size, and read the names back', () => {
    expect(embeddingModelKey(OFFLINE_MODEL)).toBe('offline/mascot-hash-ngram-v1');
    for (const model of [OFFLINE_MODEL, small, { provider: 'openai-compatible', model: 'BAAI/bge-m3', dimensions: null } as const]) {
      expect(parseEmbeddingModelKey(embeddingModelKey(model))).toEqual(model);
    }
    expect(() => parseEmbeddingModelKey('nonsense')).toThrow();
  });
});

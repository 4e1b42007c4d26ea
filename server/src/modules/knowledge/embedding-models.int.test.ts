import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADD_KNOWLEDGE_TEXT, CREATE_BOT } from '../../test/operations.ts';
import { startFakeEmbeddingsServer, type FakeEmbeddingsServer } from '../../test/fake-openai-embeddings.ts';
import { signUpAccount, type Account } from '../../test/fixtures.ts';
import { graphqlOk, graphqlRequest, type EventRecorder } from '../../test/graphql-test-client.ts';
import { ownerQuery } from '../../test/owner-database.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';
import { recordIngestionEvents, type IngestionEventsRecording } from './ingestion-events.fixture.ts';

const EMBEDDING = /* GraphQL */ `
  query($botId: ID!) { knowledgeEmbedding(botId: $botId) { model { key provider model dimensions } pendingModel { key } reindexJob { id kind status } availableProviders } }`;
const SET_MODEL = /* GraphQL */ `
  mutation($botId: ID!, $input: EmbeddingModelInput!) {
    setKnowledgeEmbeddingModel(botId: $botId, input: $input) { model { key } pendingModel { key } reindexJob { id kind status } }
  }`;
const REINDEX = /* GraphQL */ `mutation($botId: ID!) { reindexKnowledge(botId: $botId) { model { key } pendingModel { key } reindexJob { id kind } } }`;
const SEARCH = /* GraphQL */ `
  query($botId: ID!, $query: String!, $mode: RetrievalMode!) {
    searchKnowledge(botId: $botId, query: $query, mode: $mode) { documentTitle text snippet score }
  }`;

const RETURNS = `# Returns
## Online orders
Online orders can be returned within 45 days for a full refund. Refunds reach your card within 5 working days.
## Stores
Items bought in a store go back to any store with the receipt.`;
const DELIVERY = `# Delivery
Parcels to Norway and Iceland travel by sea freight and take three weeks.`;

let fake: FakeEmbeddingsServer;
let server: TestServer;
let owner: Account;
let botId: string;
let events: EventRecorder<any>;
let recording: IngestionEventsRecording;

const chunkModels = async () =>
  (await ownerQuery<{ model: string; n: number; dims: number }>(
    server.databaseUrl,
    'select embedding_model as model, vector_dims(embedding) as dims, count(*)::int as n from knowledge_chunk where bot_id = $1 group by 1, 2 order by 1',
    [botId],
  ));
const finished = (jobId: string) => recording.finished(jobId);
const search = async (query: string, mode = 'HYBRID') =>
  (await graphqlOk(server.graphqlUrl, SEARCH, { botId, query, mode }, owner.accessToken)).searchKnowledge as { documentTitle: string; text: string; snippet: string; score: number }[];
const setModel = (input: Record<string, unknown>) => graphqlRequest(server.graphqlUrl, SET_MODEL, { botId, input }, owner.accessToken);

beforeAll(async () => {
  fake = await startFakeEmbeddingsServer({ apiKey: 'sk-test' });
  server = await startTestServer({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseUrl });
  owner = await signUpAccount(server.graphqlUrl);
  const { createBot } = await graphqlOk(server.graphqlUrl, CREATE_BOT, { input: { name: 'Pip' } }, owner.accessToken);
  botId = createBot.id;
  await graphqlOk(server.graphqlUrl, ADD_KNOWLEDGE_TEXT, { botId, input: { title: 'Returns', text: RETURNS } }, owner.accessToken);
  recording = await recordIngestionEvents(server.websocketUrl, owner.accessToken, botId);
  events = recording.events;
});
afterAll(async () => {
  await recording?.close();
  await server?.stop();
  await fake?.close();
});

describe('embedding models per bot', { timeout: 120_000 }, () => {
  it('start on the offline embedder, recorded with every chunk, with the configured providers listed', async () => {
    const { knowledgeEmbedding } = await graphqlOk(server.graphqlUrl, EMBEDDING, { botId }, owner.accessToken);
    expect(knowledgeEmbedding).toEqual({
      model: { key: 'offline/mascot-hash-ngram-v1', provider: 'OFFLINE', model: 'mascot-hash-ngram-v1', dimensions: null },
      pendingModel: null,
      reindexJob: null,
      availableProviders: ['OFFLINE', 'OPENAI'],
    });
    expect(await chunkModels()).toEqual([{ model: 'offline/mascot-hash-ngram-v1', dims: 512, n: expect.any(Number) }]);
    expect(fake.requests).toHaveLength(0);
  });

  it('mark the query words in the snippet of each passage', async () => {
    const [top] = await search('How many days do I have to return online orders?');
    expect(top!.documentTitle).toBe('Returns');
    // Stems match: "return" marks "returned"; words not asked about ("45", "refund") stay plain.
    expect(top!.snippet).toContain('**Online** **orders** can be **returned** within 45 **days** for a full refund.');
    expect(top!.snippet).not.toMatch(/\s{2,}|\n/);
  });

  it('reject models that cannot work with typed errors, changing nothing', async () => {
    const cases = [
      { provider: 'OPENAI_COMPATIBLE', model: 'nomic-embed-text' }, // not configured on this server
      { provider: 'OPENAI' }, // no model name
      { provider: 'OPENAI', model: 'text-embedding-3-small', dimensions: 10 },
      { provider: 'OPENAI', model: 'bad name; drop table' },
    ];
    for (const input of cases) {
      const response = await setModel(input);
      expect(response.errors?.[0]?.extensions?.['code'], JSON.stringify(input)).toBe('BAD_USER_INPUT');
    }
    fake.failAlways({ status: 404, retryAfterMs: 1 }); // e.g. a model the API does not know
    try {
      const response = await setModel({ provider: 'OPENAI', model: 'text-embedding-9' });
      expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      expect(response.errors?.[0]?.message).toContain('HTTP 404');
    } finally {
      fake.failAlways(undefined);
    }
    const { knowledgeEmbedding } = await graphqlOk(server.graphqlUrl, EMBEDDING, { botId }, owner.accessToken);
    expect(knowledgeEmbedding).toMatchObject({ model: { key: 'offline/mascot-hash-ngram-v1' }, pendingModel: null });
  });

  it('keep serving the old vectors when re-embedding fails, and say why on the job', async () => {
    // The probe passes; the job's one batch then fails on every attempt the SDK makes (1 + 2 retries).
    const error = { status: 500, retryAfterMs: 1 };
    fake.failNext(null, error, error, error);
    const { setKnowledgeEmbeddingModel } = await graphqlOk(server.graphqlUrl, SET_MODEL, {
      botId, input: { provider: 'OPENAI', model: 'text-embedding-3-small', dimensions: 768 },
    }, owner.accessToken);
    expect(setKnowledgeEmbeddingModel).toMatchObject({ pendingModel: { key: 'openai/text-embedding-3-small@768' }, reindexJob: { kind: 'REINDEX' } });
    const done = await finished(setKnowledgeEmbeddingModel.reindexJob.id);
    expect(done.ingestionEvents).toMatchObject({ status: 'FAILED', errorCode: 'EMBEDDING_FAILED' });
    const { knowledgeEmbedding } = await graphqlOk(server.graphqlUrl, EMBEDDING, { botId }, owner.accessToken);
    expect(knowledgeEmbedding).toMatchObject({ model: { key: 'offline/mascot-hash-ngram-v1' }, pendingModel: null });
    expect(await chunkModels()).toEqual([{ model: 'offline/mascot-hash-ngram-v1', dims: 512, n: expect.any(Number) }]);
    const [top] = await search('return online orders', 'VECTOR');
    expect(top!.documentTitle).toBe('Returns');
  });
});

describe('re-embedding with another model', { timeout: 120_000 }, () => {
  let jobId: string;

  it('re-embed every chunk in the background with progress, through a rate limit, then serve the new model', async () => {
    await graphqlOk(server.graphqlUrl, ADD_KNOWLEDGE_TEXT, { botId, input: { title: 'Delivery', text: DELIVERY } }, owner.accessToken);
    const total = (await chunkModels()).reduce((sum, row) => sum + row.n, 0);
    fake.failNext(null, { status: 429, retryAfterMs: 5 }); // the probe passes, the job's first request is rate limited once
    const { setKnowledgeEmbeddingModel } = await graphqlOk(server.graphqlUrl, SET_MODEL, {
      botId, input: { provider: 'OPENAI', model: 'text-embedding-3-small', dimensions: 768 },
    }, owner.accessToken);
    jobId = setKnowledgeEmbeddingModel.reindexJob.id;
    const done = await finished(jobId);
    expect(done.ingestionEvents).toMatchObject({ status: 'SUCCEEDED', progress: 1 });
    const progress = events.events.filter((e) => e.ingestionEvents.jobId === jobId && e.ingestionEvents.status === 'RUNNING');
    expect(progress.at(-1)?.ingestionEvents).toMatchObject({ chunksTotal: total });

    const { knowledgeEmbedding } = await graphqlOk(server.graphqlUrl, EMBEDDING, { botId }, owner.accessToken);
    expect(knowledgeEmbedding).toMatchObject({
      model: { key: 'openai/text-embedding-3-small@768', provider: 'OPENAI', model: 'text-embedding-3-small', dimensions: 768 },
      pendingModel: null,
      reindexJob: null,
    });
    expect(await chunkModels()).toEqual([{ model: 'openai/text-embedding-3-small@768', dims: 768, n: total }]);
  });

  it('embed queries with the bot\'s new model, so the 768-d vectors are compared with a 768-d query', async () => {
    const before = fake.requests.length;
    const [top] = await search('How long does sea freight to Iceland take?', 'VECTOR');
    expect(top!.documentTitle).toBe('Delivery');
    expect(top!.score).toBeGreaterThan(0);
    expect(fake.requests.slice(before)).toEqual([expect.objectContaining({ model: 'text-embedding-3-small', dimensions: 768, inputs: ['How long does sea freight to Iceland take?'] })]);
  });

  it('embed new documents with the new model', async () => {
    await graphqlOk(server.graphqlUrl, ADD_KNOWLEDGE_TEXT, { botId, input: { title: 'Gift cards', text: 'Gift cards never expire and work online and in stores.' } }, owner.accessToken);
    expect((await chunkModels()).map((row) => row.model)).toEqual(['openai/text-embedding-3-small@768']);
    const [top] = await search('Do gift cards expire?', 'VECTOR');
    expect(top!.documentTitle).toBe('Gift cards');
  });

  it('fall back to the full-text ranking while the model\'s API is down, instead of failing', async () => {
    fake.failAlways({ status: 503, retryAfterMs: 1 });
    try {
      const [top] = await search('gift cards expire');
      expect(top).toMatchObject({ documentTitle: 'Gift cards', score: 0 });
      expect(top!.snippet).toContain('**Gift**');
      const vectorOnly = await graphqlRequest(server.graphqlUrl, SEARCH, { botId, query: 'gift cards', mode: 'VECTOR' }, owner.accessToken);
      expect(vectorOnly.errors?.[0]?.extensions?.['code']).toBe('SERVICE_UNAVAILABLE');
    } finally {
      fake.failAlways(undefined);
    }
  });

  it('re-embed again with the same model on reindexKnowledge, and go back to offline on request', async () => {
    const { reindexKnowledge } = await graphqlOk(server.graphqlUrl, REINDEX, { botId }, owner.accessToken);
    expect(reindexKnowledge.pendingModel).toEqual({ key: 'openai/text-embedding-3-small@768' });
    expect((await finished(reindexKnowledge.reindexJob.id)).ingestionEvents.status).toBe('SUCCEEDED');

    const { setKnowledgeEmbeddingModel } = await graphqlOk(server.graphqlUrl, SET_MODEL, { botId, input: { provider: 'OFFLINE' } }, owner.accessToken);
    expect((await finished(setKnowledgeEmbeddingModel.reindexJob.id)).ingestionEvents.status).toBe('SUCCEEDED');
    expect((await chunkModels()).map((row) => [row.model, row.dims])).toEqual([['offline/mascot-hash-ngram-v1', 512]]);
    const [top] = await search('Do gift cards expire?', 'VECTOR');
    expect(top!.documentTitle).toBe('Gift cards');
  });

  it('keep another tenant away from the bot\'s embedding settings', async () => {
    const stranger = await signUpAccount(server.graphqlUrl, 'Stranger Ltd');
    for (const [query, variables] of [
      [EMBEDDING, { botId }],
      [REINDEX, { botId }],
      [SET_MODEL, { botId, input: { provider: 'OFFLINE' } }],
    ] as const) {
      const response = await graphqlRequest(server.graphqlUrl, query, variables, stranger.accessToken);
      expect(response.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    }
  });
});

import type OpenAI from 'openai';
import { embedTexts } from '@mascot/knowledge-core';
import type { MascotConfig } from '../../core/config/index.ts';
import { DomainError } from '../../core/errors/index.ts';
import { OFFLINE_MODEL, embeddingModelKey, type EmbeddingModel, type EmbeddingProviderKind } from './embedding-model.ts';

/** One interface for every way of embedding: the offline method, OpenAI, OpenAI-compatible endpoints. */
export interface Embedder {
  readonly model: EmbeddingModel;
  /** What is stored with each vector (`embeddingModelKey`). */
  readonly key: string;
  /** One vector per text, in order; all of the same dimension. Throws `EmbeddingError`. */
  embed(texts: readonly string[]): Promise<number[][]>;
}

export type EmbeddingErrorCode = 'EMBEDDING_RATE_LIMITED' | 'EMBEDDING_UNAUTHORIZED' | 'EMBEDDING_UNAVAILABLE' | 'EMBEDDING_FAILED';

/** An embedding provider failed after the SDK's own retries; the message is safe to show (no key, no body). */
export class EmbeddingError extends Error {
  override name = 'EmbeddingError';
  constructor(readonly code: EmbeddingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Largest vector pgvector stores; larger answers are a misconfigured model, not data. */
const MAX_DIMENSIONS = 16_000;
/** Inputs per request: OpenAI accepts 2,048, smaller servers (Ollama) far fewer at once. */
const REQUEST_BATCH = 64;
const REQUEST_TIMEOUT_MS = 60_000;
/** The SDK retries 429, 408, 409, 5xx and connection errors with backoff, honouring Retry-After. */
const SDK_RETRIES = 2;

// Loaded on first use: the SDK is hundreds of modules that a server embedding offline (the default) never needs at start.
type OpenAiSdk = typeof OpenAI;
let sdk: Promise<OpenAiSdk> | undefined;
const loadSdk = (): Promise<OpenAiSdk> => (sdk ??= import('openai').then((module) => module.default));

const offlineEmbedder: Embedder = {
  model: OFFLINE_MODEL,
  key: embeddingModelKey(OFFLINE_MODEL),
  embed: async (texts) => embedTexts(texts),
};

function describeFailure(OpenAI: OpenAiSdk, provider: string, error: unknown): EmbeddingError {
  if (error instanceof EmbeddingError) return error;
  if (error instanceof OpenAI.RateLimitError) {
    return new EmbeddingError('EMBEDDING_RATE_LIMITED', `The ${provider} embeddings API is rate limiting requests; try again later.`, { cause: error });
  }
  if (error instanceof OpenAI.AuthenticationError || error instanceof OpenAI.PermissionDeniedError) {
    return new EmbeddingError('EMBEDDING_UNAUTHORIZED', `The ${provider} embeddings API refused the configured key.`, { cause: error });
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return new EmbeddingError('EMBEDDING_UNAVAILABLE', `The ${provider} embeddings API could not be reached.`, { cause: error });
  }
  if (error instanceof OpenAI.APIError) {
    return new EmbeddingError('EMBEDDING_FAILED', `The ${provider} embeddings API answered HTTP ${error.status ?? 'error'}.`, { cause: error });
  }
  return new EmbeddingError('EMBEDDING_FAILED', `The ${provider} embeddings API gave an unusable answer.`, { cause: error });
}

/** Checks an answer before anything is stored: count, order, finiteness, one dimension. */
function readVectors(response: OpenAI.CreateEmbeddingResponse, expected: number): number[][] {
  const rows = [...(response.data ?? [])].sort((a, b) => a.index - b.index);
  if (rows.length !== expected) throw new Error(`expected ${expected} embeddings, got ${rows.length}`);
  const dimensions = rows[0]?.embedding.length ?? 0;
  return rows.map((row) => {
    const vector = row.embedding;
    if (!Array.isArray(vector) || vector.length !== dimensions || dimensions === 0 || dimensions > MAX_DIMENSIONS) {
      throw new Error('embeddings of differing or unsupported dimensions');
    }
    if (!vector.every(Number.isFinite)) throw new Error('an embedding contains a non-finite value');
    return vector;
  });
}

/** OpenAI and OpenAI-compatible servers, through the official SDK (the wire format is the same). */
function sdkEmbedder(connect: () => Promise<OpenAI>, model: EmbeddingModel, providerName: string): Embedder {
  return {
    model,
    key: embeddingModelKey(model),
    async embed(texts) {
      const [OpenAI, client] = await Promise.all([loadSdk(), connect()]);
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += REQUEST_BATCH) {
        const input = texts.slice(start, start + REQUEST_BATCH);
        try {
          const response = await client.embeddings.create({
            model: model.model,
            input,
            // Floats, not the SDK's default base64: Ollama and older vLLM only speak floats.
            encoding_format: 'float',
            ...(model.dimensions ? { dimensions: model.dimensions } : {}),
          });
          vectors.push(...readVectors(response, input.length));
        } catch (error) {
          throw describeFailure(OpenAI, providerName, error);
        }
      }
      if (vectors.some((v) => v.length !== vectors[0]!.length)) throw describeFailure(OpenAI, providerName, new Error('dimension changed between batches'));
      return vectors;
    },
  };
}

/**
 * The embedding providers this server is configured for (server/src/core/config: OPENAI_API_KEY,
 * OPENAI_BASE_URL, MASCOT_EMBEDDINGS_BASE_URL, MASCOT_EMBEDDINGS_API_KEY). The offline embedder is
 * always there and is every bot's default.
 */
export class EmbeddingProviders {
  /** Each configured provider's client, made on first use (with the SDK). */
  private readonly clients = new Map<EmbeddingProviderKind, () => Promise<OpenAI>>();

  constructor(config: MascotConfig['embeddings']) {
    const options = { timeout: REQUEST_TIMEOUT_MS, maxRetries: SDK_RETRIES };
    const lazyClient = (clientOptions: ConstructorParameters<OpenAiSdk>[0]) => {
      let client: Promise<OpenAI> | undefined;
      return () => (client ??= loadSdk().then((OpenAI) => new OpenAI({ ...options, ...clientOptions })));
    };
    if (config.openai) {
      this.clients.set('openai', lazyClient({ apiKey: config.openai.apiKey, ...(config.openai.baseUrl ? { baseURL: config.openai.baseUrl } : {}) }));
    }
    if (config.compatible) {
      // Local servers (Ollama) need no key, but the SDK insists on one; it is sent as a harmless bearer.
      this.clients.set('openai-compatible', lazyClient({ apiKey: config.compatible.apiKey ?? 'unused', baseURL: config.compatible.baseUrl }));
    }
  }

  static offlineOnly(): EmbeddingProviders {
    return new EmbeddingProviders({ openai: undefined, compatible: undefined });
  }

  available(): EmbeddingProviderKind[] {
    return ['offline', ...this.clients.keys()];
  }

  /** The embedder for a model; a provider this server has no configuration for is a typed input error. */
  embedderFor(model: EmbeddingModel): Embedder {
    if (model.provider === 'offline') return offlineEmbedder;
    const client = this.clients.get(model.provider);
    if (!client) {
      const setting = model.provider === 'openai' ? 'OPENAI_API_KEY' : 'MASCOT_EMBEDDINGS_BASE_URL';
      throw DomainError.invalidInput([{ field: 'provider', message: `${model.provider} embeddings are not configured on this server (set ${setting})` }]);
    }
    return sdkEmbedder(client, model, model.provider === 'openai' ? 'OpenAI' : 'OpenAI-compatible');
  }
}

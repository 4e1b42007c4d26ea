import { OFFLINE_EMBEDDING_DIMENSIONS, OFFLINE_EMBEDDING_MODEL } from '@mascot/knowledge-core';

export type EmbeddingProviderKind = 'offline' | 'openai' | 'openai-compatible';

/** Which method turns text into vectors. Two models compare only if their keys are equal. */
export interface EmbeddingModel {
  provider: EmbeddingProviderKind;
  /** The provider's model name: `text-embedding-3-small`, `nomic-embed-text`, `BAAI/bge-m3`. */
  model: string;
  /** Asked of models that can shorten their vectors (OpenAI text-embedding-3); null: the model's own size. */
  dimensions: number | null;
}

export const OFFLINE_MODEL: EmbeddingModel = { provider: 'offline', model: OFFLINE_EMBEDDING_MODEL, dimensions: null };
export const OFFLINE_MODEL_KEY = 'offline/mascot-hash-ngram-v1';
export { OFFLINE_EMBEDDING_DIMENSIONS };

/** Model names as providers spell them: letters, digits and `._:/-` (Ollama tags, Hugging Face paths). */
export const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
const PROVIDERS: readonly EmbeddingProviderKind[] = ['offline', 'openai', 'openai-compatible'];

/**
 * The key stored with every vector and in the bot's settings: `provider/model`, plus `@dimensions`
 * when a size was requested (a 512-d and a 1536-d text-embedding-3-small vector are not comparable).
 */
export function embeddingModelKey(model: EmbeddingModel): string {
  return `${model.provider}/${model.model}${model.dimensions ? `@${model.dimensions}` : ''}`;
}

export function parseEmbeddingModelKey(key: string): EmbeddingModel {
  const slash = key.indexOf('/');
  const provider = key.slice(0, slash) as EmbeddingProviderKind;
  const [model = '', dimensions] = key.slice(slash + 1).split('@');
  if (slash < 0 || !PROVIDERS.includes(provider) || !MODEL_NAME.test(model)) throw new Error(`Unreadable embedding model key "${key}"`);
  return { provider, model, dimensions: dimensions ? Number(dimensions) : null };
}

import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { parseEmbeddingModelKey } from './embedding-model.ts';
import type { EmbeddingState } from './embedding-reindex.service.ts';
import { IngestionJobType } from './ingestion.types.ts';

export enum EmbeddingProviderEnum {
  OFFLINE = 'offline',
  OPENAI = 'openai',
  OPENAI_COMPATIBLE = 'openai-compatible',
}
registerEnumType(EmbeddingProviderEnum, {
  name: 'EmbeddingProvider',
  description: 'offline: built in, no network; openai: OPENAI_API_KEY; openai-compatible: MASCOT_EMBEDDINGS_BASE_URL (Ollama, vLLM…).',
});

@InputType()
export class EmbeddingModelInput {
  @Field(() => EmbeddingProviderEnum) provider!: EmbeddingProviderEnum;
  @Field(() => String, { nullable: true, description: 'The provider\'s model name, e.g. text-embedding-3-small or nomic-embed-text; not for offline.' })
  model?: string | null;
  @Field(() => Int, { nullable: true, description: 'Shorter vectors from OpenAI text-embedding-3 models (64 to 3072).' })
  dimensions?: number | null;
}

@ObjectType('EmbeddingModel')
export class EmbeddingModelType {
  @Field(() => String, { description: 'provider/model[@dimensions], as recorded with every vector.' }) key!: string;
  @Field(() => EmbeddingProviderEnum) provider!: EmbeddingProviderEnum;
  @Field(() => String) model!: string;
  @Field(() => Int, { nullable: true }) dimensions?: number | null;
}

@ObjectType('KnowledgeEmbedding', { description: "Which model embeds a bot's knowledge, and a change in progress." })
export class KnowledgeEmbeddingType {
  @Field(() => EmbeddingModelType, { description: 'The model the knowledge is embedded with and queries are compared in.' })
  model!: EmbeddingModelType;
  @Field(() => EmbeddingModelType, { nullable: true, description: 'Being re-embedded with; replaces `model` once every passage is done.' })
  pendingModel?: EmbeddingModelType | null;
  @Field(() => IngestionJobType, { nullable: true, description: 'The re-embedding job; progress also on ingestionEvents.' })
  reindexJob?: IngestionJobType | null;
  @Field(() => [EmbeddingProviderEnum], { description: 'Providers this server is configured for.' })
  availableProviders!: EmbeddingProviderEnum[];
}

function toModelType(key: string): EmbeddingModelType {
  const model = parseEmbeddingModelKey(key);
  return { key, provider: model.provider as EmbeddingProviderEnum, model: model.model, dimensions: model.dimensions };
}

export function toKnowledgeEmbedding(state: EmbeddingState, available: string[]): KnowledgeEmbeddingType {
  return {
    model: toModelType(state.settings.embeddingModel),
    pendingModel: state.settings.targetEmbeddingModel ? toModelType(state.settings.targetEmbeddingModel) : null,
    reindexJob: (state.job as IngestionJobType | null) ?? null,
    availableProviders: available as EmbeddingProviderEnum[],
  };
}

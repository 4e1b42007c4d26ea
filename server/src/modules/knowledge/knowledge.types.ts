import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { ConnectionType } from '../../core/graphql/index.ts';

@InputType()
export class KnowledgeTextInput {
  @Field(() => String) title!: string;
  @Field(() => String, { description: 'Plain text or Markdown; headings become citation sections.' }) text!: string;
}

export enum KnowledgeDocumentStatusEnum {
  INGESTING = 'ingesting',
  READY = 'ready',
  FAILED = 'failed',
}
registerEnumType(KnowledgeDocumentStatusEnum, {
  name: 'KnowledgeDocumentStatus',
  valuesConfig: {
    INGESTING: { description: 'A file being uploaded, parsed or embedded (follow it with ingestionEvents).' },
    READY: { description: 'Stored and answerable (after the next publishBot for visitors).' },
    FAILED: { description: 'A file that could not be learned from; see error.' },
  },
});

export enum KnowledgeSourceKindEnum {
  TEXT = 'text',
  FILE = 'file',
  URL = 'url',
}
registerEnumType(KnowledgeSourceKindEnum, { name: 'KnowledgeSourceKind', description: 'text: addKnowledgeText; file: an upload; url: a web page.' });

@ObjectType('KnowledgeSource', { description: 'Where a knowledge document came from.' })
export class KnowledgeSourceType {
  @Field(() => KnowledgeSourceKindEnum) kind!: KnowledgeSourceKindEnum;
  @Field(() => String, { nullable: true, description: 'The uploaded file\'s name (files only).' }) fileName!: string | null;
  @Field(() => String, { nullable: true, description: 'pdf, docx, markdown, html, text or csv; null while not yet detected.' }) format!: string | null;
  @Field(() => String, { nullable: true, description: 'The web page (url sources only: pages of addWebsiteSource).' }) url!: string | null;
}

@ObjectType('KnowledgeDocumentError', { description: 'Why a file could not be learned from.' })
export class KnowledgeDocumentErrorType {
  @Field(() => String, { description: 'e.g. FILE_ENCRYPTED, FILE_MALFORMED, FILE_EMPTY, QUOTA_EXCEEDED' }) code!: string;
  @Field(() => String) message!: string;
}

@ObjectType('KnowledgeDocument')
export class KnowledgeDocumentType {
  @Field(() => ID, { description: "The document's id; while ingesting or failed, its ingestion job's id." }) id!: string;
  @Field(() => String) title!: string;
  @Field(() => KnowledgeDocumentStatusEnum) status!: KnowledgeDocumentStatusEnum;
  @Field(() => KnowledgeDocumentErrorType, { nullable: true, description: 'Set when status is FAILED.' }) error!: KnowledgeDocumentErrorType | null;
  @Field(() => KnowledgeSourceType) source!: KnowledgeSourceType;
  @Field(() => Int, { description: "Stored text in bytes, what the plan counts; while ingesting or failed, the uploaded file's size." })
  sizeBytes!: number;
  @Field(() => Int, { description: 'Number of passages the document was split into (0 until ready).' }) chunkCount!: number;
  @Field(() => ID, { nullable: true, description: 'The upload that made it (ingestionJob), if it came from a file.' }) ingestionJobId!: string | null;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
  @Field(() => GraphQLDateTimeISO) updatedAt!: Date;
}
export const KnowledgeDocumentConnection = ConnectionType('KnowledgeDocument', KnowledgeDocumentType, { totalCount: true });

@ObjectType('KnowledgeDocumentRef', { description: 'A knowledge document named by a version diff.' })
export class KnowledgeDocumentRefType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true, description: 'Null when the document was deleted since.' }) title!: string | null;
  @Field(() => Boolean, { description: 'The document was deleted since (deleteKnowledgeDocument).' }) deleted!: boolean;
}

export enum RetrievalModeEnum {
  HYBRID = 'hybrid',
  VECTOR = 'vector',
  TEXT = 'text',
}
registerEnumType(RetrievalModeEnum, { name: 'RetrievalMode', description: 'hybrid fuses vector and full-text rankings (what bots use).' });

export enum KnowledgeScopeEnum {
  DRAFT = 'draft',
  LIVE = 'live',
}
registerEnumType(KnowledgeScopeEnum, { name: 'KnowledgeScope', description: 'draft: all ingested documents; live: the published snapshot.' });

@ObjectType('KnowledgePassage', { description: 'A retrieved passage, as the bot would see it.' })
export class KnowledgePassageType {
  @Field(() => ID) id!: string;
  @Field(() => ID) documentId!: string;
  @Field(() => String) documentTitle!: string;
  @Field(() => String, { nullable: true, description: 'The web page the document was learnt from (website sources).' }) documentUrl?: string | null;
  @Field(() => [String]) sectionPath!: string[];
  @Field(() => Int, { nullable: true }) page?: number | null;
  @Field(() => String) text!: string;
  @Field(() => String, {
    description: 'The best fragment of the passage with the query\'s words marked as Markdown bold (**word**); the text\'s own asterisks are escaped.',
  })
  snippet!: string;
  @Field(() => Float, { description: 'Cosine similarity to the query, 0 to 1.' }) score!: number;
}

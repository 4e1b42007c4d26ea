import { GraphQLDateTimeISO } from 'graphql-scalars';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum CsvModeEnum {
  QA = 'qa',
  RECORDS = 'records',
}
registerEnumType(CsvModeEnum, { name: 'CsvMode', description: 'qa: one question/answer per row; records: rows of named columns.' });

export enum IngestionStatusEnum {
  AWAITING_UPLOAD = 'awaiting_upload',
  QUEUED = 'queued',
  RUNNING = 'running',
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
  CANCELLED = 'cancelled',
}
registerEnumType(IngestionStatusEnum, { name: 'IngestionStatus' });

export enum IngestionKindEnum {
  FILE = 'file',
  REINDEX = 'reindex',
}
registerEnumType(IngestionKindEnum, { name: 'IngestionKind', description: 'file: an upload; reindex: re-embedding with another model.' });

@InputType()
export class CsvImportInput {
  @Field(() => CsvModeEnum) mode!: CsvModeEnum;
  @Field(() => String, { nullable: true }) questionColumn?: string;
  @Field(() => String, { nullable: true }) answerColumn?: string;
  @Field(() => String, { nullable: true }) titleColumn?: string;
  @Field(() => [String], { nullable: true, description: 'Columns kept in records mode (default: all).' }) columns?: string[];
}

@InputType()
export class KnowledgeUploadInput {
  @Field(() => String, { description: 'Its extension helps detect the format (PDF, DOCX, Markdown, HTML, text, CSV).' })
  fileName!: string;
  @Field(() => Int, { description: 'Exact size in bytes; the upload URL accepts at most this much.' }) byteSize!: number;
  @Field(() => String, { nullable: true, description: "Document title; defaults to the file's own title or name." })
  title?: string | null;
  @Field(() => CsvImportInput, { nullable: true }) csv?: CsvImportInput | null;
}

@ObjectType('CsvRowError')
export class CsvRowErrorType {
  @Field(() => Int, { description: '1-based data row (the header is not counted).' }) row!: number;
  @Field(() => String) message!: string;
}

@ObjectType('IngestionJob', { description: 'A file being turned into knowledge.' })
export class IngestionJobType {
  @Field(() => ID) id!: string;
  @Field(() => ID) botId!: string;
  @Field(() => IngestionKindEnum) kind!: IngestionKindEnum;
  @Field(() => IngestionStatusEnum) status!: IngestionStatusEnum;
  @Field(() => String, { nullable: true }) fileName?: string | null;
  @Field(() => String, { nullable: true, description: 'Detected format: pdf, docx, markdown, html, text or csv.' }) format?: string | null;
  @Field(() => Float, { description: '0 to 1.' }) progress!: number;
  @Field(() => Int) chunksDone!: number;
  @Field(() => Int, { nullable: true }) chunksTotal?: number | null;
  @Field(() => ID, { nullable: true, description: 'The knowledge document created (or found identical).' }) documentId?: string | null;
  @Field(() => [CsvRowErrorType], { description: 'CSV rows skipped, and why.' }) rowErrors!: CsvRowErrorType[];
  @Field(() => [String]) warnings!: string[];
  @Field(() => String, { nullable: true, description: 'e.g. FILE_ENCRYPTED, FILE_MALFORMED, FILE_EMPTY, QUOTA_EXCEEDED' }) errorCode?: string | null;
  @Field(() => String, { nullable: true }) errorMessage?: string | null;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
}

@ObjectType({ description: 'PUT the file bytes to uploadUrl before expiresAt; progress follows on ingestionEvents.' })
export class KnowledgeUpload {
  @Field(() => IngestionJobType) job!: IngestionJobType;
  @Field(() => String) uploadUrl!: string;
  @Field(() => GraphQLDateTimeISO) expiresAt!: Date;
}

@ObjectType('IngestionEvent', { description: 'Progress of one ingestion job.' })
export class IngestionEventType {
  @Field(() => ID) jobId!: string;
  @Field(() => ID) botId!: string;
  @Field(() => IngestionStatusEnum) status!: IngestionStatusEnum;
  @Field(() => Float) progress!: number;
  @Field(() => Int) chunksDone!: number;
  @Field(() => Int, { nullable: true }) chunksTotal?: number | null;
  @Field(() => ID, { nullable: true }) documentId?: string | null;
  @Field(() => String, { nullable: true }) errorCode?: string | null;
  @Field(() => String, { nullable: true }) errorMessage?: string | null;
  @Field(() => ID, {
    nullable: true,
    description: 'Set for a website sync (addWebsiteSource, syncWebsiteSource): jobId is the sync, chunksDone/chunksTotal count pages.',
  })
  websiteSourceId?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'A website sync\'s page that could not be learnt from (errorCode/errorMessage say why); the sync goes on (status RUNNING).',
  })
  pageUrl?: string | null;
}

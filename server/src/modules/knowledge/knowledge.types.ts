import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';

@InputType()
export class KnowledgeTextInput {
  @Field(() => String) title!: string;
  @Field(() => String, { description: 'Plain text or Markdown; headings become citation sections.' }) text!: string;
}

@ObjectType('KnowledgeDocument')
export class KnowledgeDocumentType {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => Int, { description: 'Number of passages the document was split into.' }) chunkCount!: number;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
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
  @Field(() => [String]) sectionPath!: string[];
  @Field(() => Int, { nullable: true }) page?: number | null;
  @Field(() => String) text!: string;
  @Field(() => String, {
    description: 'The best fragment of the passage with the query\'s words marked as Markdown bold (**word**); the text\'s own asterisks are escaped.',
  })
  snippet!: string;
  @Field(() => Float, { description: 'Cosine similarity to the query, 0 to 1.' }) score!: number;
}

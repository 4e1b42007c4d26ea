import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { ConnectionType } from '../../../core/graphql/index.ts';

@ObjectType('CuratedAnswer', {
  description:
    "A question the team answered itself, in the bot's draft: a visitor's question that matches the question or a paraphrase closely enough is answered with `answer`, cited as \"Answer from the team\", ahead of passages from documents. Published and rolled back with the bot.",
})
export class CuratedAnswerType {
  @Field(() => ID, { description: 'The entry; it stays the same when the entry is edited.' }) id!: string;
  @Field(() => ID) botId!: string;
  @Field(() => String) question!: string;
  @Field(() => [String], { description: 'Other ways visitors ask the same question.' }) paraphrases!: string[];
  @Field(() => String) answer!: string;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
  @Field(() => GraphQLDateTimeISO) updatedAt!: Date;
}

export const CuratedAnswerConnection = ConnectionType('CuratedAnswer', CuratedAnswerType, { totalCount: true });

@InputType({ description: 'A curated answer: up to 500 characters of question, up to 20 paraphrases, up to 5,000 characters of answer.' })
export class CuratedAnswerInput {
  @Field(() => String) question!: string;
  @Field(() => [String], { nullable: true }) paraphrases?: string[] | null;
  @Field(() => String) answer!: string;
}

@InputType({ description: 'The fields to change; those left out keep their value (paraphrases are replaced as a whole).' })
export class UpdateCuratedAnswerInput {
  @Field(() => String, { nullable: true }) question?: string | null;
  @Field(() => [String], { nullable: true }) paraphrases?: string[] | null;
  @Field(() => String, { nullable: true }) answer?: string | null;
}

@ObjectType('CuratedAnswersImport', { description: 'What importCuratedAnswersCsv changed in the draft.' })
export class CuratedAnswersImportType {
  @Field(() => Int) created!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int) deleted!: number;
}

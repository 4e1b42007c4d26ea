import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';

@ObjectType('ConversationNote', { description: 'An internal note of the team on a conversation: never shown to the visitor nor sent to the AI provider.' })
export class ConversationNoteType {
  @Field(() => ID) id!: string;
  @Field(() => String) text!: string;
  @Field(() => String, { description: "The author as the team knows them: from a member's e-mail address, or an API key's name." }) authorName!: string;
  @Field(() => ID, { nullable: true, description: 'The member who wrote it; null when an integration did.' }) authorUserId!: string | null;
  @Field(() => ID, { nullable: true, description: 'The API key of the integration that wrote it; null when a member did.' }) authorApiKeyId!: string | null;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
}

import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { ConnectionType } from '../../core/graphql/index.ts';

@ObjectType('Lead', { description: 'A visitor who left contact details or asked to be contacted; one per conversation.' })
export class LeadType {
  @Field(() => ID) id!: string;
  @Field(() => ID) botId!: string;
  @Field(() => ID) conversationId!: string;
  @Field(() => ID, { description: 'The visitor message that created the lead.' }) sourceMessageId!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true, description: 'E.164 when it could be read as a phone number, otherwise as written.' })
  phone!: string | null;
  @Field(() => Boolean, { description: 'The visitor asked to be contacted.' }) wantsContact!: boolean;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
  @Field(() => GraphQLDateTimeISO) updatedAt!: Date;
}

export const LeadConnection = ConnectionType('Lead', LeadType);

import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { ConnectionType } from '../../core/graphql/index.ts';

@ObjectType('Lead', { description: 'A visitor who left contact details or asked to be contacted; one per conversation.' })
export class LeadType {
  @Field(() => ID) id!: string;
  @Field(() => ID) botId!: string;
  @Field(() => ID) conversationId!: string;
  @Field(() => ID, { nullable: true, description: "The visitor message that created the lead; null when it came from the widget's contact form." })
  sourceMessageId!: string | null;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true, description: 'E.164 when it could be read as a phone number, otherwise as written.' })
  phone!: string | null;
  @Field(() => Boolean, { description: 'The visitor asked to be contacted.' }) wantsContact!: boolean;
  @Field(() => GraphQLDateTimeISO, { nullable: true, description: "When the visitor agreed to be contacted in the widget's contact form." })
  consentedAt!: Date | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'When the lead was marked handled (markLeadHandled); null while it is open.' })
  handledAt!: Date | null;
  @Field(() => ID, { nullable: true, description: 'The member who marked it handled.' }) handledByUserId!: string | null;
  @Field(() => ID, { nullable: true, description: 'The API key that marked it handled.' }) handledByApiKeyId!: string | null;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
  @Field(() => GraphQLDateTimeISO) updatedAt!: Date;
}

export const LeadConnection = ConnectionType('Lead', LeadType, { totalCount: true });

@InputType('LeadFilterInput', { description: 'Narrows a lead list; every condition given must hold.' })
export class LeadFilterInput {
  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'Captured at or after.' }) from?: Date | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'Captured before.' }) to?: Date | null;
  @Field(() => Boolean, { nullable: true, description: 'Only leads who asked (true) or did not ask (false) to be contacted.' }) wantsContact?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Only handled (true) or open (false) leads.' }) handled?: boolean | null;
}

@InputType('ContactDetailsInput', { description: "What a visitor enters in the widget's contact form." })
export class ContactDetailsInput {
  @Field(() => String) name!: string;
  @Field(() => String) email!: string;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => Boolean, { description: 'The visitor agrees to be contacted; must be true.' }) consent!: boolean;
}

@ObjectType('ContactDetailsReceipt', { description: "The lead that now holds the visitor's contact details." })
export class ContactDetailsReceiptType {
  @Field(() => ID) leadId!: string;
  @Field(() => ID) conversationId!: string;
}

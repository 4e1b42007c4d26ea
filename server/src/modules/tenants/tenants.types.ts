import { GraphQLDateTimeISO } from 'graphql-scalars';
import { Field, Float, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Usage of one limit; limit null means unlimited.' })
export class UsageMeter {
  @Field(() => Float) used!: number;
  @Field(() => Float, { nullable: true }) limit!: number | null;
}

@ObjectType('Usage', { description: "The tenant's plan and how much of it this month has used." })
export class UsageType {
  @Field(() => String, { description: 'free, pro or enterprise' }) plan!: string;
  @Field(() => String, { description: 'Billing month, YYYY-MM (UTC).' }) period!: string;
  @Field(() => GraphQLDateTimeISO, { description: 'When the monthly counters start again.' }) resetsAt!: Date;
  @Field(() => UsageMeter) bots!: UsageMeter;
  @Field(() => UsageMeter) messages!: UsageMeter;
  @Field(() => UsageMeter) knowledgeBytes!: UsageMeter;
  @Field(() => UsageMeter, { description: 'AI provider spend in millionths of a US dollar.' }) aiSpendMicroUsd!: UsageMeter;
}

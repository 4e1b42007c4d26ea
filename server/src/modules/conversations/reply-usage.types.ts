import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType('BotUsageDay', { description: "One bot's assistant replies on one UTC day: tokens, cost and speed, summed when each reply was stored." })
export class BotUsageDayType {
  @Field(() => String, { description: 'The UTC day, YYYY-MM-DD.' }) day!: string;
  @Field(() => Int) replies!: number;
  @Field(() => Int, { description: 'Replies served from the answer cache (no provider called, no cost).' }) cacheHits!: number;
  @Field(() => Float) inputTokens!: number;
  @Field(() => Float) outputTokens!: number;
  @Field(() => Float, { description: 'AI provider cost in millionths of a US dollar (1/10,000 of a cent).' }) costMicroUsd!: number;
  @Field(() => Int, { nullable: true, description: 'Mean time from the visitor message to the stored reply, in milliseconds.' })
  averageLatencyMs!: number | null;
  @Field(() => Int, { nullable: true, description: 'Mean time to the first streamed token, in milliseconds.' })
  averageTimeToFirstTokenMs!: number | null;
}

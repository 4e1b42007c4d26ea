import { Field, Float, ID, Int, InterfaceType, ObjectType } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';

@ObjectType('AnalyticsSentiment', { description: "Visitor messages by the sentiment of their words: positive ≥ 0.25, negative ≤ -0.25 on wink-nlp's -1..1 scale, neutral between." })
export class AnalyticsSentimentType {
  @Field(() => Int) positive!: number;
  @Field(() => Int) neutral!: number;
  @Field(() => Int) negative!: number;
}

@ObjectType('AnalyticsFeedback', { description: "Visitors' ratings: 👍/👎 under answers and conversation ratings (CSAT, 1–5), counted on the day each was first given (a changed rating moves its count)." })
export class AnalyticsFeedbackType {
  @Field(() => Int, { description: 'Answers rated 👍.' }) helpfulAnswers!: number;
  @Field(() => Int, { description: 'Answers rated 👎.' }) unhelpfulAnswers!: number;
  @Field(() => Float, { nullable: true, description: 'Share (0..1) of the rated answers rated 👍; null without rated answers.' })
  helpfulShare!: number | null;
  @Field(() => Int, { description: 'Conversations rated.' }) csatResponses!: number;
  @Field(() => Float, { nullable: true, description: 'Mean conversation rating, 1–5 (two decimals); null without ratings.' })
  csatAverage!: number | null;
  @Field(() => Float, { nullable: true, description: 'Share (0..1) of the ratings that are 4 or 5 (the usual CSAT score); null without ratings.' })
  csatSatisfiedShare!: number | null;
  @Field(() => [Int], { description: 'Conversations rated 1, 2, 3, 4 and 5 (five counts).' }) csatDistribution!: number[];
}

@InterfaceType('AnalyticsFigures', { description: 'What happened over a day or a period (UTC days), for one bot or a whole tenant.' })
export abstract class AnalyticsFiguresType {
  @Field(() => Int, { description: 'Conversations started.' }) conversations!: number;
  @Field(() => Int, { description: 'Messages of visitors, the bot and agents.' }) messages!: number;
  @Field(() => Int) visitorMessages!: number;
  @Field(() => Int, { description: "Distinct visitors who started a conversation or wrote (the widget's visitor id; a conversation without one counts as its own visitor)." })
  uniqueVisitors!: number;
  @Field(() => Int, { nullable: true, description: 'Median time from the visitor message to the first streamed token, within 4.9 % (a log-bucket histogram); null without replies.' })
  ttftMedianMs!: number | null;
  @Field(() => Int, { nullable: true, description: '95th percentile of the time to first token, within 4.9 %.' })
  ttftP95Ms!: number | null;
  @Field(() => Int, { description: 'Conversations handed to a person (counted on the day they started).' }) handedOffConversations!: number;
  @Field(() => Float, { nullable: true, description: 'Share (0..1) of the conversations that never went to a person; null without conversations.' })
  resolvedWithoutHandoffShare!: number | null;
  @Field(() => AnalyticsSentimentType) sentiment!: AnalyticsSentimentType;
  @Field(() => Int, { description: 'Conversations that gave a lead (counted once, on the day of the first details).' }) leads!: number;
  @Field(() => Int, { description: 'Replies for which retrieval found no passage scoring 0.3 or more: a gap in the knowledge, even when the reply cited a weaker passage.' }) unansweredQuestions!: number;
  @Field(() => Float, { description: 'AI provider cost in US dollars (exact to a millionth).' }) costUsd!: number;
  @Field(() => AnalyticsFeedbackType) feedback!: AnalyticsFeedbackType;
}

@ObjectType('AnalyticsDay', { implements: AnalyticsFiguresType })
export class AnalyticsDayType extends AnalyticsFiguresType {
  @Field(() => String, { description: 'The UTC day, YYYY-MM-DD.' }) day!: string;
}

@ObjectType('AnalyticsTotals', {
  implements: AnalyticsFiguresType,
  description: 'Sums over the period, except uniqueVisitors (distinct over the period) and the TTFT quantiles (over every reply of the period).',
})
export class AnalyticsTotalsType extends AnalyticsFiguresType {}

@ObjectType('AnalyticsReport', { description: 'Every day of the range (zeros included), oldest first, and the totals of the period.' })
export class AnalyticsReportType {
  @Field(() => String) from!: string;
  @Field(() => String) to!: string;
  @Field(() => [AnalyticsDayType]) days!: AnalyticsDayType[];
  @Field(() => AnalyticsTotalsType) totals!: AnalyticsTotalsType;
}

@ObjectType('QuestionGroup', { description: 'Visitor questions that mean the same thing (offline embeddings, cosine ≥ 0.6), most asked first.' })
export class QuestionGroupType {
  @Field(() => String, { description: 'The most asked wording; personal data replaced by placeholders.' }) representative!: string;
  @Field(() => Int, { description: 'Times any wording of the group was asked.' }) asked!: number;
  @Field(() => Int, { description: 'Times the bot could not answer it from its knowledge.' }) unanswered!: number;
  @Field(() => [String], { description: 'Up to five other wordings, most asked first.' }) variants!: string[];
}

@ObjectType('UnansweredQuestion')
export class UnansweredQuestionType {
  @Field(() => String) question!: string;
  @Field(() => Int, { description: 'Replies that found no relevant knowledge for it.' }) unanswered!: number;
  @Field(() => Int) asked!: number;
  @Field(() => Float, { nullable: true, description: 'Best retrieval score (cosine, 0..1) of its replies; below 0.3 a reply counts as unanswered.' })
  bestScore!: number | null;
  @Field(() => GraphQLDateTimeISO) lastAskedAt!: Date;
}

@ObjectType('PlatformTenantAnalytics', { description: "One tenant's totals over the period." })
export class PlatformTenantAnalyticsType {
  @Field(() => ID) tenantId!: string;
  @Field(() => String) tenantName!: string;
  @Field(() => String) plan!: string;
  @Field(() => Int, { description: 'Bots with activity in the period.' }) bots!: number;
  @Field(() => Int) conversations!: number;
  @Field(() => Int) messages!: number;
  @Field(() => Int) uniqueVisitors!: number;
  @Field(() => Int) handedOffConversations!: number;
  @Field(() => Int) leads!: number;
  @Field(() => Float) costUsd!: number;
}

@ObjectType('PlatformAnalytics', { description: 'Every tenant with activity or cost in the period, most conversations first.' })
export class PlatformAnalyticsType {
  @Field(() => String) from!: string;
  @Field(() => String) to!: string;
  @Field(() => [PlatformTenantAnalyticsType]) tenants!: PlatformTenantAnalyticsType[];
}

@ObjectType('ModelCost', { description: 'AI replies of one provider and model over a period, and what they cost.' })
export class ModelCostType {
  @Field(() => String, { description: 'The provider that answered, as stored on the reply (openai, anthropic, openai-compatible, offline…).' }) provider!: string;
  @Field(() => String) model!: string;
  @Field(() => Int) replies!: number;
  @Field(() => Float) inputTokens!: number;
  @Field(() => Float) outputTokens!: number;
  @Field(() => Float, { description: 'US dollars, exact to a millionth.' }) costUsd!: number;
}

import { createUnionType, Field, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { MessageRoleEnum, SourceType } from './conversations.types.ts';

@InputType('PreviewTurnInput', { description: 'An earlier turn of the preview conversation, oldest first.' })
export class PreviewTurnInput {
  @Field(() => MessageRoleEnum) role!: MessageRoleEnum;
  @Field(() => String) text!: string;
}

@InputType('PreviewReplyInput')
export class PreviewReplyInput {
  @Field(() => String) question!: string;
  @Field(() => [PreviewTurnInput], { nullable: true, description: 'Up to 10 earlier turns, oldest first.' })
  history?: PreviewTurnInput[] | null;
  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: "A bot bundle to answer with instead of the stored draft (Studio's unsynced edits); validated like updateBotDraft.",
  })
  bundle?: Record<string, unknown> | null;
}

@ObjectType({ description: 'The next piece of the preview reply text, to append.' })
export class PreviewReplyDelta {
  @Field(() => String) delta!: string;
}

@ObjectType({ description: 'The preview reply as the bot would send it, with what it cost. Nothing of it is stored as a conversation.' })
export class PreviewReplyCompleted {
  @Field(() => String) text!: string;
  @Field(() => [SourceType]) sources!: SourceType[];
  @Field(() => Boolean, { description: 'The reply rests on the knowledge: a retrieved passage was relevant enough to answer from, or the reply cites one.' }) grounded!: boolean;
  @Field(() => String, { description: 'The provider that answered (offline, openai, anthropic, openai-compatible).' }) provider!: string;
  @Field(() => String) model!: string;
  @Field(() => Int) inputTokens!: number;
  @Field(() => Int) outputTokens!: number;
  @Field(() => Int, { description: "Cost in millionths of a dollar, counted in the tenant's AI spend." }) costMicroUsd!: number;
}

const previewEventTypes = { PreviewReplyDelta, PreviewReplyCompleted };

export const PreviewReplyEventUnion = createUnionType({
  name: 'PreviewReplyEvent',
  types: () => [PreviewReplyDelta, PreviewReplyCompleted] as const,
  resolveType: (value) => previewEventTypes[(value as unknown as { type: keyof typeof previewEventTypes }).type],
});

import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { requireVisitor, type GraphQLContext } from '../../core/graphql/index.ts';
import { MessageType } from './conversations.types.ts';
import type { TranscriptService } from './transcript.service.ts';

@Resolver()
export class TranscriptResolver {
  constructor(private readonly transcripts: TranscriptService) {}

  @Query(() => [MessageType], {
    description:
      "The visitor's conversation as stored (visitor token), oldest first: the last 2000 messages, with times and sources. The widget's transcript download.",
  })
  conversationTranscript(@Arg('conversationId', () => ID) conversationId: string, @Ctx() ctx: GraphQLContext): Promise<MessageType[]> {
    return this.transcripts.forVisitor(ctx.em, requireVisitor(ctx), conversationId) as Promise<MessageType[]>;
  }
}

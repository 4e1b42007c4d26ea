import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { requirePermission, type GraphQLContext } from '../../core/graphql/index.ts';
import type { ConversationView } from './conversation-history.service.ts';
import { ConversationType } from './conversation-history.types.ts';
import type { ConversationClosingService } from './conversation-closing.ts';
import type { ConversationNotesService } from './conversation-notes.service.ts';
import { ConversationNoteType } from './conversation-notes.types.ts';

/** The team's work on a conversation beside the chat: internal notes, and closing it (the Console's Inbox). */
@Resolver(() => ConversationType)
export class ConversationTeamResolver {
  constructor(
    private readonly noteBook: ConversationNotesService,
    private readonly closing: ConversationClosingService,
  ) {}

  @FieldResolver(() => [ConversationNoteType], { description: "The team's internal notes, oldest first (the latest 200; conversations:read)." })
  notes(@Root() conversation: ConversationView, @Ctx() ctx: GraphQLContext): Promise<ConversationNoteType[]> {
    return this.noteBook.list(ctx.em, requirePermission(ctx, 'conversations:read').tenantId, conversation.id) as Promise<ConversationNoteType[]>;
  }

  @Mutation(() => ConversationNoteType, { description: 'Adds an internal note to a conversation (conversations:handle): the team sees it, the visitor never.' })
  addConversationNote(
    @Arg('conversationId', () => ID) conversationId: string,
    @Arg('text', () => String, { description: '1 to 4000 characters.' }) text: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ConversationNoteType> {
    return this.noteBook.add(ctx.em, requirePermission(ctx, 'conversations:handle'), conversationId, text) as Promise<ConversationNoteType>;
  }

  @Mutation(() => ID, { description: 'Deletes an internal note; only its author may (FORBIDDEN otherwise). Returns its id.' })
  deleteConversationNote(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<string> {
    return this.noteBook.remove(ctx.em, requirePermission(ctx, 'conversations:handle'), id);
  }

  @Mutation(() => ConversationType, {
    description:
      'Closes a conversation (conversations:handle): a waiting request is dismissed, or you hand it back, and it leaves the Inbox. ' +
      "CONFLICT (reason TAKEN_BY_ANOTHER_AGENT) while another agent holds it. A new visitor message opens it again.",
  })
  closeConversation(@Arg('conversationId', () => ID) conversationId: string, @Ctx() ctx: GraphQLContext): Promise<ConversationType> {
    return this.closing.setClosed(ctx.em, requirePermission(ctx, 'conversations:handle'), conversationId, true, ctx.ip) as Promise<ConversationType>;
  }

  @Mutation(() => ConversationType, { description: 'Opens a closed conversation again (conversations:handle).' })
  reopenConversation(@Arg('conversationId', () => ID) conversationId: string, @Ctx() ctx: GraphQLContext): Promise<ConversationType> {
    return this.closing.setClosed(ctx.em, requirePermission(ctx, 'conversations:handle'), conversationId, false, ctx.ip) as Promise<ConversationType>;
  }
}

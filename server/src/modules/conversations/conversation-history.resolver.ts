import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { keysetRequest } from '../../core/db/index.ts';
import { PageArgs, requirePermission, requireVisitor, type Connection, type GraphQLContext } from '../../core/graphql/index.ts';
import {
  ConversationConnection,
  ConversationFilterInput,
  ConversationMessageConnection,
  ConversationOrderInput,
  ConversationType,
  MessageConnection,
  type ConversationMessageType,
} from './conversation-history.types.ts';
import { DEFAULT_CONVERSATION_ORDER, type ConversationHistoryService, type ConversationView } from './conversation-history.service.ts';
import type { MessageType } from './conversations.types.ts';
import { LeadType } from './lead.types.ts';

@Resolver(() => ConversationType)
export class ConversationHistoryResolver {
  constructor(private readonly history: ConversationHistoryService) {}

  @Query(() => ConversationConnection, {
    description:
      "The tenant's conversations (conversations:read), newest first unless orderBy says otherwise; ties in time are ordered by id. " +
      'Pages forward with first/after and backward with last/before; a cursor that is not from this API is BAD_USER_INPUT.',
  })
  conversations(
    @Arg('filter', () => ConversationFilterInput, { nullable: true }) filter: ConversationFilterInput | null,
    @Arg('orderBy', () => ConversationOrderInput, { nullable: true }) orderBy: ConversationOrderInput | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<ConversationType>> {
    const { tenantId } = requirePermission(ctx, 'conversations:read');
    const request = keysetRequest(page);
    return this.history.list(ctx.em, tenantId, filter ?? {}, orderBy ?? DEFAULT_CONVERSATION_ORDER, request) as Promise<Connection<ConversationType>>;
  }

  @Query(() => ConversationType, { description: 'One conversation of the tenant (conversations:read); NOT_FOUND for any other id.' })
  conversation(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ConversationType> {
    return this.history.get(ctx.em, requirePermission(ctx, 'conversations:read').tenantId, id) as Promise<ConversationType>;
  }

  @FieldResolver(() => LeadType, {
    nullable: true,
    description: "The visitor's contact details, when they left any: only for those who may read leads (leads:read), FORBIDDEN otherwise.",
  })
  lead(@Root() conversation: ConversationView, @Ctx() ctx: GraphQLContext): LeadType | null {
    requirePermission(ctx, 'leads:read');
    return conversation.lead as LeadType | null;
  }

  @FieldResolver(() => ConversationMessageConnection, { description: 'The messages, oldest first: last/before pages back from the latest.' })
  messages(@Root() conversation: ConversationView, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: GraphQLContext): Promise<Connection<ConversationMessageType>> {
    const { tenantId } = requirePermission(ctx, 'conversations:read');
    return this.history.messages(ctx.em, tenantId, conversation.id, keysetRequest(page)) as Promise<Connection<ConversationMessageType>>;
  }

  @Query(() => MessageConnection, {
    description:
      "The visitor's own conversation (visitor token), oldest first, for the widget to restore its history: last: n gives the latest n, " +
      'before: startCursor the ones earlier. Any other conversation is NOT_FOUND.',
  })
  visitorMessages(
    @Arg('conversationId', () => ID) conversationId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<MessageType>> {
    return this.history.visitorMessages(ctx.em, requireVisitor(ctx), conversationId, keysetRequest(page)) as Promise<Connection<MessageType>>;
  }
}

import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { pageRequest } from '../../core/db/index.ts';
import { PageArgs, requirePermission, requireVisitor, type Connection, type GraphQLContext } from '../../core/graphql/index.ts';
import type { LeadsService } from './lead.service.ts';
import { ContactDetailsInput, ContactDetailsReceiptType, LeadConnection, type LeadType } from './lead.types.ts';

@Resolver()
export class LeadsResolver {
  constructor(private readonly leadsService: LeadsService) {}

  @Query(() => LeadConnection, { description: "A bot's leads, newest first (owners, admins and agents)." })
  leads(@Arg('botId', () => ID) botId: string, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: GraphQLContext): Promise<Connection<LeadType>> {
    return this.leadsService.list(ctx.em, requirePermission(ctx, 'leads:read').tenantId, botId, pageRequest(page)) as Promise<Connection<LeadType>>;
  }

  @Mutation(() => ContactDetailsReceiptType, {
    description:
      "The widget's contact form (visitor token): makes or updates the conversation's lead with the visitor's name, e-mail and phone, and their consent to be contacted.",
  })
  submitContactDetails(
    @Arg('conversationId', () => ID) conversationId: string,
    @Arg('input', () => ContactDetailsInput) input: ContactDetailsInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ContactDetailsReceiptType> {
    return this.leadsService.submitContactForm(ctx.em, requireVisitor(ctx), conversationId, input);
  }
}

import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { keysetRequest } from '../../core/db/index.ts';
import { PageArgs, requirePermission, requireVisitor, type Connection, type GraphQLContext } from '../../core/graphql/index.ts';
import type { LeadsService } from './lead.service.ts';
import { ContactDetailsInput, ContactDetailsReceiptType, LeadConnection, LeadFilterInput, LeadType } from './lead.types.ts';

@Resolver()
export class LeadsResolver {
  constructor(private readonly leadsService: LeadsService) {}

  @Query(() => LeadConnection, { description: "The tenant's leads, or one bot's, newest first (leads:read: owners, admins, agents and keys with LEADS_READ)." })
  leads(
    @Arg('botId', () => ID, { nullable: true }) botId: string | null,
    @Arg('filter', () => LeadFilterInput, { nullable: true }) filter: LeadFilterInput | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<LeadType>> {
    const { tenantId } = requirePermission(ctx, 'leads:read');
    return this.leadsService.list(ctx.em, tenantId, { ...filter, botId }, keysetRequest(page)) as Promise<Connection<LeadType>>;
  }

  @Mutation(() => LeadType, {
    description: 'Marks a lead handled (true) or open again (false), recording when and by whom; audited. Who may read leads may mark them (leads:read).',
  })
  markLeadHandled(
    @Arg('id', () => ID) id: string,
    @Arg('handled', () => Boolean) handled: boolean,
    @Ctx() ctx: GraphQLContext,
  ): Promise<LeadType> {
    return this.leadsService.markHandled(ctx.em, requirePermission(ctx, 'leads:read'), id, handled, ctx.ip) as Promise<LeadType>;
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

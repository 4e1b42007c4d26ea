import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { requirePermission, requireVisitor, type GraphQLContext } from '../../core/graphql/index.ts';
import type { HandoffService } from './handoff.service.ts';
import { HandoffAvailabilityType, HandoffSettingsInput, HandoffSettingsType, VisitorHandoffType } from './handoff.types.ts';

/**
 * Handoff by the visitor's choice: the visitor's answers to the offer of a person and their cancel,
 * and the tenant's business hours. Agents' own operations are in agent.resolver.ts.
 */
export function createHandoffResolver(handoff: HandoffService) {
  @Resolver()
  class HandoffResolver {
    @Mutation(() => VisitorHandoffType, {
      description:
        "The visitor accepts the offer of a person (or asks for one). Queued for the agents when the business hours are open and an agent is online; " +
        'otherwise status BOT with the reason and when people are back (also sent as HandoffUnavailable). CONFLICT (reason NO_TEAM) when the bot hands over to nobody.',
    })
    requestHandoff(@Arg('conversationId', () => ID) conversationId: string, @Ctx() ctx: GraphQLContext): Promise<VisitorHandoffType> {
      return handoff.requestByVisitor(ctx.em, requireVisitor(ctx), conversationId) as Promise<VisitorHandoffType>;
    }

    @Mutation(() => VisitorHandoffType, { description: 'The visitor declines the offer of a person: the bot answers on.' })
    declineHandoff(@Arg('conversationId', () => ID) conversationId: string, @Ctx() ctx: GraphQLContext): Promise<VisitorHandoffType> {
      return handoff.declineByVisitor(ctx.em, requireVisitor(ctx), conversationId) as Promise<VisitorHandoffType>;
    }

    @Mutation(() => VisitorHandoffType, {
      description: 'The visitor stops waiting for a person: back with the bot. CONFLICT (reason AGENT_JOINED) once an agent joined.',
    })
    cancelHandoff(@Arg('conversationId', () => ID) conversationId: string, @Ctx() ctx: GraphQLContext): Promise<VisitorHandoffType> {
      return handoff.cancelByVisitor(ctx.em, requireVisitor(ctx), conversationId) as Promise<VisitorHandoffType>;
    }

    @Query(() => HandoffSettingsType, { description: "The tenant's business hours and handoff wait (conversations:read)." })
    handoffSettings(@Ctx() ctx: GraphQLContext): Promise<HandoffSettingsType> {
      return handoff.settings.get(ctx.em, requirePermission(ctx, 'conversations:read'));
    }

    @Mutation(() => HandoffSettingsType, { description: 'Sets the business hours and handoff wait (owners and admins: members:manage).' })
    updateHandoffSettings(@Arg('input', () => HandoffSettingsInput) input: HandoffSettingsInput, @Ctx() ctx: GraphQLContext): Promise<HandoffSettingsType> {
      return handoff.settings.update(ctx.em, requirePermission(ctx, 'members:manage'), input);
    }

    @Query(() => HandoffAvailabilityType, { description: 'Whether a visitor asking for a person now would get one (conversations:read).' })
    handoffAvailability(@Ctx() ctx: GraphQLContext): Promise<HandoffAvailabilityType> {
      return handoff.availability(ctx.em, requirePermission(ctx, 'conversations:read'));
    }
  }
  return HandoffResolver;
}

import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { keysetRequest } from '../../core/db/index.ts';
import { PageArgs, requirePermission, requireUser, type Connection, type GraphQLContext } from '../../core/graphql/index.ts';
import {
  AuthPayload,
  CreatedInvitation,
  InvitationConnection,
  type InvitationType,
  InviteMemberInput,
  MemberConnection,
  MemberRoleEnum,
  MemberType,
} from './identity.types.ts';
import type { MembersService } from './members.service.ts';

@Resolver()
export class MembersResolver {
  constructor(
    private readonly membership: MembersService,
    private readonly publicUrl: () => string,
  ) {}

  @Query(() => MemberConnection, { description: "The current tenant's members, newest first." })
  members(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: GraphQLContext): Promise<Connection<MemberType>> {
    return this.membership.list(ctx.em, requirePermission(ctx, 'members:read').tenantId, keysetRequest(page)) as Promise<Connection<MemberType>>;
  }

  @Mutation(() => CreatedInvitation, { description: 'Invites someone by email; returns a single-use link (no email is sent).' })
  async inviteMember(@Arg('input', () => InviteMemberInput) input: InviteMemberInput, @Ctx() ctx: GraphQLContext): Promise<CreatedInvitation> {
    const { invitation, token } = await this.membership.invite(ctx.em, requirePermission(ctx, 'members:manage'), input, ctx.ip);
    return {
      invitation: invitation as CreatedInvitation['invitation'],
      token,
      inviteUrl: `${this.publicUrl()}/invite#${token}`,
    };
  }

  @Query(() => InvitationConnection, { description: "The current tenant's pending invitations (not accepted, not expired), newest first; members:manage." })
  invitations(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: GraphQLContext): Promise<Connection<InvitationType>> {
    return this.membership.pendingInvitations(ctx.em, requirePermission(ctx, 'members:manage').tenantId, keysetRequest(page)) as Promise<Connection<InvitationType>>;
  }

  @Mutation(() => Boolean, { description: 'Withdraws a pending invitation: its link stops working at once; audited.' })
  async revokeInvitation(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await this.membership.revokeInvitation(ctx.em, requirePermission(ctx, 'members:manage'), id, ctx.ip);
    return true;
  }

  @Mutation(() => AuthPayload, { description: 'Joins the inviting tenant (signed in as the invited email) and switches to it.' })
  acceptInvitation(@Arg('token', () => String) token: string, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    return this.membership.accept(ctx.em, requireUser(ctx), token, ctx.ip);
  }

  @Mutation(() => MemberType)
  updateMemberRole(
    @Arg('userId', () => ID) userId: string,
    @Arg('role', () => MemberRoleEnum) role: MemberRoleEnum,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MemberType> {
    return this.membership.changeRole(ctx.em, requirePermission(ctx, 'members:manage'), userId, { role }, ctx.ip) as Promise<MemberType>;
  }

  @Mutation(() => Boolean, { description: "Removes a member from the tenant; their sessions here end at once." })
  async removeMember(@Arg('userId', () => ID) userId: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await this.membership.remove(ctx.em, requirePermission(ctx, 'members:manage'), userId, ctx.ip);
    return true;
  }
}

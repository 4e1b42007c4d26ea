import { Kind, type GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { MembershipRole, UserPrincipal } from '../../core/auth/index.ts';
import { requireUser, type GraphQLContext } from '../../core/graphql/index.ts';
import { parseId } from '../../core/errors/index.ts';
import type { IdentityService } from './identity.service.ts';
import { AuthPayload, LogInInput, SignUpInput, TenantMembership, TenantType, UserType, Viewer } from './identity.types.ts';
import type { SessionService } from './session.service.ts';

/**
 * What `me` resolves to: the session's principal, whose role the authenticator just confirmed. Each
 * field reads only what it needs, so `me { user { id } role }` costs no query at all.
 */
interface ViewerSource {
  principal: UserPrincipal;
  role: MembershipRole;
  /** Read once per request when `user` and `isPlatformAdmin` both ask for it. */
  account?: ReturnType<IdentityService['account']>;
}

/** True when the field's selection asks for nothing but these fields (no fragments: those are read in full). */
function selectsOnly(info: GraphQLResolveInfo, fields: readonly string[]): boolean {
  return info.fieldNodes.every((node) =>
    node.selectionSet?.selections.every((selection) => selection.kind === Kind.FIELD && fields.includes(selection.name.value)),
  );
}

@Resolver(() => Viewer)
export class IdentityResolver {
  constructor(
    private readonly identity: IdentityService,
    private readonly sessions: SessionService,
  ) {}

  @Mutation(() => AuthPayload, { description: 'Creates an account with its own tenant and signs in.' })
  signUp(@Arg('input', () => SignUpInput) input: SignUpInput, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    return this.identity.signUp(ctx.em, input, ctx.ip);
  }

  @Mutation(() => AuthPayload, { description: 'Signs in to the first tenant the user belongs to.' })
  logIn(@Arg('input', () => LogInInput) input: LogInInput, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    return this.identity.logIn(ctx.em, input, ctx.ip);
  }

  @Mutation(() => Boolean, { description: "Ends this session: its refresh token and access tokens stop working." })
  async logOut(@Ctx() ctx: GraphQLContext): Promise<boolean> {
    await this.sessions.logOut(ctx.em, requireUser(ctx));
    return true;
  }

  @Mutation(() => AuthPayload, { description: 'Exchanges a refresh token (single use) for a new token pair.' })
  refreshSession(@Arg('refreshToken', () => String) refreshToken: string, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    return this.sessions.refresh(ctx.em, refreshToken, ctx.ip);
  }

  @Mutation(() => AuthPayload, { description: 'A session in another tenant the user belongs to.' })
  switchTenant(@Arg('tenantId', () => ID) tenantId: string, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    return this.sessions.switchTenant(ctx.em, requireUser(ctx), parseId(tenantId, 'tenantId'));
  }

  @Query(() => Viewer, { description: 'The signed-in user, their current tenant and role, and all their tenants.' })
  me(@Ctx() ctx: GraphQLContext): ViewerSource {
    const principal = requireUser(ctx);
    return { principal, role: principal.role };
  }

  @FieldResolver(() => UserType)
  async user(@Root() viewer: ViewerSource, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<UserType> {
    if (selectsOnly(info, ['id', '__typename'])) return { id: viewer.principal.userId } as UserType;
    return this.accountOf(viewer, ctx);
  }

  @FieldResolver(() => TenantType, { description: 'The tenant this session acts in.' })
  tenant(@Root() viewer: ViewerSource, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<TenantType> | TenantType {
    if (selectsOnly(info, ['id', '__typename'])) return { id: viewer.principal.tenantId } as TenantType;
    return this.identity.tenantOf(ctx.em, viewer.principal.tenantId);
  }

  @FieldResolver(() => Boolean, { description: 'Operator of this Mascot installation.' })
  async isPlatformAdmin(@Root() viewer: ViewerSource, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return (await this.accountOf(viewer, ctx)).isPlatformAdmin;
  }

  @FieldResolver(() => [TenantMembership], { description: 'Every tenant the user belongs to (see switchTenant).' })
  memberships(@Root() viewer: ViewerSource, @Ctx() ctx: GraphQLContext): Promise<TenantMembership[]> {
    return this.identity.tenantsOf(ctx.em, viewer.principal.userId) as Promise<TenantMembership[]>;
  }

  private accountOf(viewer: ViewerSource, ctx: GraphQLContext) {
    return (viewer.account ??= this.identity.account(ctx.em, viewer.principal.userId));
  }
}

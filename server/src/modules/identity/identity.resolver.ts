import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { requireUser, type GraphQLContext } from '../../core/graphql/index.ts';
import { parseId } from '../../core/errors/index.ts';
import type { IdentityService } from './identity.service.ts';
import { AuthPayload, LogInInput, SignUpInput, Viewer } from './identity.types.ts';
import type { SessionService } from './session.service.ts';

@Resolver()
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
  async me(@Ctx() ctx: GraphQLContext): Promise<Viewer> {
    const viewer = await this.identity.me(ctx.em, requireUser(ctx));
    return { ...viewer, isPlatformAdmin: viewer.user.isPlatformAdmin } as Viewer;
  }
}

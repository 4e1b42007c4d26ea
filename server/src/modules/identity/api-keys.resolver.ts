import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { keysetRequest } from '../../core/db/index.ts';
import { PageArgs, requirePermission, type Connection, type GraphQLContext } from '../../core/graphql/index.ts';
import type { ApiKeysService } from './api-keys.service.ts';
import { ApiKeyConnection, ApiKeyType, CreateApiKeyInput, CreatedApiKey } from './identity.types.ts';

@Resolver()
export class ApiKeysResolver {
  constructor(private readonly keys: ApiKeysService) {}

  @Query(() => ApiKeyConnection, { description: "The tenant's API keys (never the keys themselves)." })
  apiKeys(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: GraphQLContext): Promise<Connection<ApiKeyType>> {
    return this.keys.list(ctx.em, requirePermission(ctx, 'keys:manage').tenantId, keysetRequest(page)) as Promise<Connection<ApiKeyType>>;
  }

  @Mutation(() => CreatedApiKey, { description: 'Creates a scoped API key for partners; the secret is returned once.' })
  createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: GraphQLContext): Promise<CreatedApiKey> {
    return this.keys.create(ctx.em, requirePermission(ctx, 'keys:manage'), input, ctx.ip) as Promise<CreatedApiKey>;
  }

  @Mutation(() => ApiKeyType, { description: 'Revokes a key; requests with it fail from now on.' })
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ApiKeyType> {
    return this.keys.revoke(ctx.em, requirePermission(ctx, 'keys:manage'), id, ctx.ip) as Promise<ApiKeyType>;
  }
}

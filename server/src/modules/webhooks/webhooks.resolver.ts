import { Arg, Args, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { keysetRequest, mapNodes } from '../../core/db/index.ts';
import { PageArgs, requirePermission, type Connection, type GraphQLContext } from '../../core/graphql/index.ts';
import type { WebhookEndpoint } from './webhook-endpoint.entity.ts';
import { activeSecrets, type WebhooksService } from './webhooks.service.ts';
import {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookAttemptType,
  WebhookDeliveryConnection,
  WebhookDeliveryStatusEnum,
  WebhookDeliveryType,
  WebhookEndpointConnection,
  WebhookEndpointType,
  WebhookEndpointWithSecret,
} from './webhooks.types.ts';

function toEndpointType(endpoint: WebhookEndpoint): WebhookEndpointType {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: endpoint.eventTypes,
    enabled: endpoint.status === 'enabled',
    disabledReason: endpoint.disabledReason,
    activeSecrets: activeSecrets(endpoint.secrets).length,
    includeLeadDetails: endpoint.includeLeadDetails,
    createdAt: endpoint.createdAt,
  };
}

@Resolver()
export class WebhooksResolver {
  constructor(private readonly webhooks: WebhooksService) {}

  @Query(() => WebhookEndpointConnection, { description: "The tenant's webhook endpoints (never their secrets)." })
  async webhookEndpoints(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: GraphQLContext): Promise<Connection<WebhookEndpointType>> {
    const found = await this.webhooks.list(ctx.em, requirePermission(ctx, 'webhooks:manage').tenantId, keysetRequest(page));
    return mapNodes(found, toEndpointType);
  }

  @Mutation(() => WebhookEndpointWithSecret, { description: 'Registers an endpoint; its signing secret is returned once.' })
  async createWebhookEndpoint(
    @Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<WebhookEndpointWithSecret> {
    const { endpoint, secret } = await this.webhooks.create(ctx.em, requirePermission(ctx, 'webhooks:manage'), input, ctx.ip);
    return { endpoint: toEndpointType(endpoint), secret };
  }

  @Mutation(() => WebhookEndpointType, { description: 'Changes an endpoint; `enabled: true` re-enables one Mascot disabled.' })
  async updateWebhookEndpoint(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<WebhookEndpointType> {
    return toEndpointType(await this.webhooks.update(ctx.em, requirePermission(ctx, 'webhooks:manage'), id, input, ctx.ip));
  }

  @Mutation(() => Boolean, { description: 'Deletes an endpoint with its delivery log.' })
  deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return this.webhooks.remove(ctx.em, requirePermission(ctx, 'webhooks:manage'), id, ctx.ip);
  }

  @Mutation(() => WebhookEndpointWithSecret, {
    description: 'Issues a new signing secret; the old one keeps signing for overlapMinutes (default a day) so receivers can switch.',
  })
  async rotateWebhookSecret(
    @Arg('id', () => ID) id: string,
    @Arg('overlapMinutes', () => Int, { nullable: true }) overlapMinutes: number | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<WebhookEndpointWithSecret> {
    const { endpoint, secret } = await this.webhooks.rotateSecret(
      ctx.em, requirePermission(ctx, 'webhooks:manage'), id, overlapMinutes == null ? {} : { overlapMinutes }, ctx.ip,
    );
    return { endpoint: toEndpointType(endpoint), secret };
  }

  @Query(() => WebhookDeliveryConnection, { description: 'The delivery log of one endpoint, newest first.' })
  webhookDeliveries(
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('status', () => WebhookDeliveryStatusEnum, { nullable: true }) status: WebhookDeliveryStatusEnum | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<WebhookDeliveryType>> {
    return this.webhooks.deliveries(ctx.em, requirePermission(ctx, 'webhooks:manage'), endpointId, keysetRequest(page), status ?? undefined) as Promise<Connection<WebhookDeliveryType>>;
  }

  @Query(() => [WebhookAttemptType], { description: 'Every HTTP attempt of one delivery, oldest first.' })
  webhookAttempts(@Arg('deliveryId', () => ID) deliveryId: string, @Ctx() ctx: GraphQLContext): Promise<WebhookAttemptType[]> {
    return this.webhooks.attempts(ctx.em, requirePermission(ctx, 'webhooks:manage').tenantId, deliveryId);
  }

  @Mutation(() => WebhookDeliveryType, { description: 'Sends a delivered or failed delivery again, with the same webhook-id.' })
  replayWebhookDelivery(@Arg('deliveryId', () => ID) deliveryId: string, @Ctx() ctx: GraphQLContext): Promise<WebhookDeliveryType> {
    return this.webhooks.replay(ctx.em, requirePermission(ctx, 'webhooks:manage'), deliveryId, ctx.ip) as Promise<WebhookDeliveryType>;
  }

  @Mutation(() => WebhookDeliveryType, {
    description:
      'Makes a pending or failed delivery due now: one attempt at once with the same webhook-id, the retry schedule going on from there. ' +
      'CONFLICT for a delivered one (replay it) or a disabled endpoint.',
  })
  retryWebhookDeliveryNow(@Arg('deliveryId', () => ID) deliveryId: string, @Ctx() ctx: GraphQLContext): Promise<WebhookDeliveryType> {
    return this.webhooks.retryNow(ctx.em, requirePermission(ctx, 'webhooks:manage'), deliveryId, ctx.ip) as Promise<WebhookDeliveryType>;
  }

  @Mutation(() => WebhookDeliveryType, {
    description: 'Queues a signed webhook.test event for the endpoint, delivered and logged like any event. CONFLICT when the endpoint is disabled.',
  })
  sendTestWebhookEvent(@Arg('endpointId', () => ID) endpointId: string, @Ctx() ctx: GraphQLContext): Promise<WebhookDeliveryType> {
    return this.webhooks.sendTest(ctx.em, requirePermission(ctx, 'webhooks:manage'), endpointId, ctx.ip) as Promise<WebhookDeliveryType>;
  }
}

import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTimeISO, GraphQLJSONObject } from 'graphql-scalars';
import { ConnectionType } from '../../core/graphql/index.ts';
import { DOMAIN_EVENT_TYPES, type DomainEventType } from '../../core/events/index.ts';
import { WEBHOOK_TEST_EVENT, type WebhookEventType } from './webhook-delivery.entity.ts';

/** GraphQL enum names cannot hold dots: `bot.published` is BOT_PUBLISHED in the API. */
export const WebhookEventTypeEnum = Object.fromEntries(
  [...DOMAIN_EVENT_TYPES, WEBHOOK_TEST_EVENT].map((type) => [type.replace('.', '_').toUpperCase(), type]),
) as Record<string, WebhookEventType>;
registerEnumType(WebhookEventTypeEnum, {
  name: 'WebhookEventType',
  description:
    'An event an endpoint can receive; the payload `type` is the dotted name (BOT_PUBLISHED → bot.published). WEBHOOK_TEST is sent by sendTestWebhookEvent and cannot be subscribed to.',
});

export enum WebhookDeliveryStatusEnum {
  PENDING = 'pending',
  DELIVERED = 'delivered',
  FAILED = 'failed',
}
registerEnumType(WebhookDeliveryStatusEnum, { name: 'WebhookDeliveryStatus' });

const INCLUDE_LEAD_DETAILS =
  "lead.captured deliveries carry the visitor's contact details in data.lead (name, email, phone, wantsContact, consentedAt); " +
  'otherwise ids and which details exist only. Setting it, or changing the URL while it is set, needs leads:read.';

@ObjectType('WebhookEndpoint')
export class WebhookEndpointType {
  @Field(() => ID) id!: string;
  @Field(() => String) url!: string;
  @Field(() => String) description!: string;
  @Field(() => [WebhookEventTypeEnum]) eventTypes!: DomainEventType[];
  @Field(() => Boolean, { description: 'Disabled endpoints receive nothing; see disabledReason.' }) enabled!: boolean;
  @Field(() => String, { nullable: true, description: 'Why Mascot or a member disabled the endpoint (410 Gone, retries exhausted…).' })
  disabledReason?: string | null;
  @Field(() => Int, { description: 'Secrets currently signing deliveries: 2 during a rotation overlap.' }) activeSecrets!: number;
  @Field(() => Boolean, { description: INCLUDE_LEAD_DETAILS }) includeLeadDetails!: boolean;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
}
export const WebhookEndpointConnection = ConnectionType('WebhookEndpoint', WebhookEndpointType, { totalCount: true });

@ObjectType({ description: 'The signing secret is shown only here: store it now, it cannot be retrieved again.' })
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpointType) endpoint!: WebhookEndpointType;
  @Field(() => String, { description: 'whsec_… — verify deliveries with any Standard Webhooks library.' }) secret!: string;
}

@ObjectType('WebhookAttempt', { description: 'One HTTP attempt of a delivery.' })
export class WebhookAttemptType {
  @Field(() => Int) attempt!: number;
  @Field(() => Int, { nullable: true }) statusCode?: number | null;
  @Field(() => String, { nullable: true }) error?: string | null;
  @Field(() => Int) durationMs!: number;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
}

@ObjectType('WebhookDelivery')
export class WebhookDeliveryType {
  @Field(() => ID) id!: string;
  @Field(() => ID) endpointId!: string;
  @Field(() => String, { description: 'The webhook-id header: the same on every retry and replay.' }) messageId!: string;
  @Field(() => WebhookEventTypeEnum) eventType!: WebhookEventType;
  @Field(() => GraphQLJSONObject, { description: 'The body sent: { type, timestamp, data }.' }) payload!: Record<string, unknown>;
  @Field(() => WebhookDeliveryStatusEnum) status!: WebhookDeliveryStatusEnum;
  @Field(() => Int, { description: 'Attempts in the current schedule (a replay starts again from 0).' }) attempts!: number;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) nextAttemptAt?: Date | null;
  @Field(() => Int, { nullable: true }) lastStatusCode?: number | null;
  @Field(() => String, { nullable: true }) lastError?: string | null;
  @Field(() => GraphQLDateTimeISO) createdAt!: Date;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) deliveredAt?: Date | null;
}
export const WebhookDeliveryConnection = ConnectionType('WebhookDelivery', WebhookDeliveryType, { totalCount: true });

@InputType()
export class CreateWebhookEndpointInput {
  @Field(() => String) url!: string;
  @Field(() => [WebhookEventTypeEnum]) eventTypes!: DomainEventType[];
  @Field(() => String, { nullable: true }) description?: string;
  @Field(() => Boolean, { nullable: true, description: `${INCLUDE_LEAD_DETAILS} Default false.` }) includeLeadDetails?: boolean;
}

@InputType()
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true }) url?: string;
  @Field(() => [WebhookEventTypeEnum], { nullable: true }) eventTypes?: DomainEventType[];
  @Field(() => String, { nullable: true }) description?: string;
  @Field(() => Boolean, { nullable: true, description: 'true re-enables an endpoint Mascot disabled.' }) enabled?: boolean;
  @Field(() => Boolean, { nullable: true, description: INCLUDE_LEAD_DETAILS }) includeLeadDetails?: boolean;
}

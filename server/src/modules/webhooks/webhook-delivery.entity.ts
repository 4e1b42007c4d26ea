import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '../../core/db/index.ts';
import type { DomainEventType } from '../../core/events/index.ts';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Sent only on request (sendTestWebhookEvent), whatever the endpoint subscribed to; it cannot be subscribed to. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';
export type WebhookEventType = DomainEventType | typeof WEBHOOK_TEST_EVENT;

/**
 * One event for one endpoint: the outbox row. `messageId` is the `webhook-id` header and stays the
 * same across retries and replays, so receivers can drop repeats.
 */
export const WebhookDelivery = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_delivery',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    endpointId: p.uuid(),
    messageId: p.string(),
    eventType: p.string(),
    payload: p.json<Record<string, unknown>>(),
    status: p.string().$type<DeliveryStatus>(),
    attempts: p.integer(),
    nextAttemptAt: p.datetime().nullable(),
    leasedUntil: p.datetime().nullable(),
    lastStatusCode: p.integer().nullable(),
    lastError: p.string().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    deliveredAt: p.datetime().nullable(),
  },
});
export type WebhookDelivery = InferEntity<typeof WebhookDelivery>;

/** The delivery log: one row per HTTP attempt. */
export const WebhookAttempt = defineEntity({
  name: 'WebhookAttempt',
  tableName: 'webhook_attempt',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    deliveryId: p.uuid(),
    attempt: p.integer(),
    statusCode: p.integer().nullable(),
    error: p.string().nullable(),
    durationMs: p.integer(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type WebhookAttempt = InferEntity<typeof WebhookAttempt>;

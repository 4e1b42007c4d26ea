import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '../../core/db/index.ts';
import type { DomainEventType } from '../../core/events/index.ts';

/** One signing secret, sealed at rest; an old one keeps signing until `expiresAt` after a rotation. */
export interface StoredWebhookSecret {
  sealed: string;
  createdAt: string;
  expiresAt: string | null;
}

/** Where a tenant wants its events, which ones, and the secrets deliveries are signed with. */
export const WebhookEndpoint = defineEntity({
  name: 'WebhookEndpoint',
  tableName: 'webhook_endpoint',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    url: p.string(),
    description: p.string(),
    eventTypes: p.json<DomainEventType[]>(),
    secrets: p.json<StoredWebhookSecret[]>(),
    /** `lead.captured` deliveries carry the contact details, not only ids (webhooks.service.ts, leadDetailsFor). */
    includeLeadDetails: p.boolean().default(false),
    status: p.string().$type<'enabled' | 'disabled'>(),
    disabledReason: p.string().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type WebhookEndpoint = InferEntity<typeof WebhookEndpoint>;

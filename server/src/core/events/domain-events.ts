import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Business events other systems may want to hear about (webhooks today; analytics and CRM syncs
 * could follow), named as Standard Webhooks suggests (`<group>.<event>`). `data` carries the ids a
 * receiver needs to fetch more through the API, never secrets.
 */
export const DOMAIN_EVENT_TYPES = [
  'conversation.started',
  'message.created',
  'reply.completed',
  'lead.captured',
  'handoff.requested',
  'bot.published',
  'knowledge.ingested',
  'feedback.submitted',
] as const;
export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];

export interface DomainEvent {
  type: DomainEventType;
  data: Record<string, unknown>;
  /**
   * `lead.captured` only: the visitor's contact details, read only for the webhook endpoints allowed to
   * receive them (added as `data.lead`); `data` itself never carries them, so analytics, the bus and every
   * other endpoint see ids and flags. A function, so nothing is read when no endpoint wants them.
   */
  leadDetails?: (() => Promise<Record<string, unknown>>) | undefined;
}

/**
 * Where modules record domain events: inside the transaction that makes the change (`tx` from
 * `inTenant`), so the event exists exactly when the change does. Modules see only this interface;
 * the webhooks module implements it as a transactional outbox.
 */
export interface DomainEventOutbox {
  record(tx: EntityManager, tenantId: string, event: DomainEvent): Promise<void>;
}

/** For compositions without webhooks (unit tests of a single module). */
export const discardingOutbox: DomainEventOutbox = { record: async () => {} };

import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { actorAllows, type TenantActor } from '../../core/auth/index.ts';
import type { SecretBox } from '../../core/crypto/index.ts';
import { inTenant, listInTenant, mapNodes, type KeysetRequest, type Page } from '../../core/db/index.ts';
import { DomainError, parseId, parseInput } from '../../core/errors/index.ts';
import { assertDestinationAllowed, type OutboundPolicy } from '../../core/outbound/index.ts';
import type { AuditService } from '../audit/index.ts';
import { WEBHOOK_TEST_EVENT, WebhookAttempt, WebhookDelivery, type DeliveryStatus, type WebhookEventType } from './webhook-delivery.entity.ts';
import { WebhookEndpoint, type StoredWebhookSecret } from './webhook-endpoint.entity.ts';
import type { WebhookRoutes } from './webhook-routes.ts';
import { DOMAIN_EVENT_TYPES, type DomainEvent, type DomainEventOutbox } from '../../core/events/index.ts';

/** Endpoints per tenant: enough for any integration, few enough that one event cannot fan out without bound. */
export const MAX_ENDPOINTS_PER_TENANT = 20;
/** How long the previous secret keeps signing after a rotation unless the caller says otherwise. */
export const DEFAULT_ROTATION_OVERLAP_MINUTES = 24 * 60;

const url = z
  .string()
  .trim()
  .max(2000, 'must be at most 2000 characters')
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const parsed = new URL(value);
    return ['http:', 'https:'].includes(parsed.protocol) && !parsed.username && !parsed.password && !parsed.hash;
  }, 'must be an http(s) URL without credentials or fragment, such as https://crm.example.com/hooks/mascot');
const eventTypes = z
  .array(z.enum(DOMAIN_EVENT_TYPES, { error: 'must be events to subscribe to (WEBHOOK_TEST is sent on request, by sendTestWebhookEvent)' }))
  .min(1, 'must name at least one event')
  .transform((types) => [...new Set(types)]);
const description = z.string().trim().max(200, 'must be at most 200 characters');

const createSchema = z.object({ url, eventTypes, description: description.default(''), includeLeadDetails: z.boolean().default(false) });
const updateSchema = z.object({
  url: url.optional(),
  eventTypes: eventTypes.optional(),
  description: description.optional(),
  enabled: z.boolean().optional(),
  includeLeadDetails: z.boolean().optional(),
});
const rotateSchema = z.object({
  overlapMinutes: z.int().min(0).max(7 * 24 * 60, 'must be at most a week (10080 minutes)').default(DEFAULT_ROTATION_OVERLAP_MINUTES),
});

/** A Standard Webhooks secret: `whsec_` and 24 random bytes in base64. */
function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** Standard Webhooks message ids are opaque; this one is unique and says what it is. */
function newMessageId(): string {
  return `msg_${randomUUID().replaceAll('-', '')}`;
}

/**
 * Lead details in webhooks: `lead.captured` carries ids and which details exist,
 * unless the endpoint has `includeLeadDetails`, which only an actor that may read leads (leads:read: owners,
 * admins, agents, keys with leads_read) can set — or keep while moving the endpoint to another URL, since
 * that would send the details somewhere new. Anyone managing webhooks may turn it off. The delivery log
 * shows the details only to those who may read leads.
 */
function assertMayShareLeadDetails(actor: TenantActor, why: string): void {
  if (!actorAllows(actor, 'leads:read')) {
    throw DomainError.forbidden(`${why} sends visitors' contact details, which needs leads:read.`);
  }
}

/** A delivery as the log shows it to `actor`: without the lead details unless they may read leads. */
function visibleTo(actor: TenantActor, delivery: WebhookDelivery): WebhookDelivery {
  const data = delivery.payload['data'] as Record<string, unknown> | undefined;
  if (!data || !('lead' in data) || actorAllows(actor, 'leads:read')) return delivery;
  const { lead: _hidden, ...rest } = data;
  return { ...delivery, payload: { ...delivery.payload, data: rest } };
}

export function activeSecrets(secrets: StoredWebhookSecret[], now = new Date()): StoredWebhookSecret[] {
  return secrets.filter((s) => s.expiresAt === null || new Date(s.expiresAt) > now);
}

export class WebhooksService implements DomainEventOutbox {
  constructor(
    private readonly secretBox: SecretBox,
    private readonly audit: AuditService,
    /** Where endpoint URLs may lead: checked when saved (a typed error) and again at every send. */
    private readonly outbound: OutboundPolicy,
    /** Called after an event was written to the outbox, so a worker can look sooner than its next poll. */
    private readonly onEnqueued: () => void = () => {},
    /** Which event types each tenant's endpoints take, cached (told of every change made here). */
    private readonly routes?: WebhookRoutes,
  ) {}

  async create(em: EntityManager, actor: TenantActor, input: z.input<typeof createSchema>, ip?: string) {
    const data = parseInput(createSchema, input);
    if (data.includeLeadDetails) assertMayShareLeadDetails(actor, 'includeLeadDetails');
    await assertDestinationAllowed(this.outbound, data.url, 'url');
    const secret = newSecret();
    const endpoint = await inTenant(em, actor.tenantId, async (tx) => {
      if ((await tx.count(WebhookEndpoint, {})) >= MAX_ENDPOINTS_PER_TENANT) {
        throw DomainError.invalidInput([{ field: 'url', message: `a tenant can have at most ${MAX_ENDPOINTS_PER_TENANT} endpoints` }]);
      }
      const created = tx.create(WebhookEndpoint, {
        id: randomUUID(),
        tenantId: actor.tenantId,
        url: data.url,
        description: data.description,
        eventTypes: data.eventTypes,
        includeLeadDetails: data.includeLeadDetails,
        secrets: [{ sealed: this.secretBox.seal(secret), createdAt: new Date().toISOString(), expiresAt: null }],
        status: 'enabled',
        disabledReason: null,
      });
      this.audit.record(tx, actor.tenantId, { action: 'webhook.created', actor, target: { type: 'webhook_endpoint', id: created.id }, ip, metadata: { eventTypes: data.eventTypes, includeLeadDetails: data.includeLeadDetails } });
      await tx.flush();
      return created;
    });
    await this.routes?.announce(actor.tenantId);
    return { endpoint, secret };
  }

  async list(em: EntityManager, tenantId: string, page: KeysetRequest): Promise<Page<WebhookEndpoint>> {
    return listInTenant(em, tenantId, { entity: WebhookEndpoint, where: () => ({}) }, page);
  }

  async update(em: EntityManager, actor: TenantActor, id: string, input: z.input<typeof updateSchema>, ip?: string) {
    const data = parseInput(updateSchema, input);
    if (data.includeLeadDetails) assertMayShareLeadDetails(actor, 'includeLeadDetails');
    if (data.url !== undefined) await assertDestinationAllowed(this.outbound, data.url, 'url');
    const updated = await inTenant(em, actor.tenantId, async (tx) => {
      const endpoint = await this.findEndpoint(tx, id);
      if (data.url !== undefined && data.url !== endpoint.url && endpoint.includeLeadDetails && data.includeLeadDetails !== false) {
        assertMayShareLeadDetails(actor, 'Moving an endpoint with includeLeadDetails');
      }
      if (data.includeLeadDetails !== undefined) endpoint.includeLeadDetails = data.includeLeadDetails;
      if (data.url !== undefined) endpoint.url = data.url;
      if (data.eventTypes !== undefined) endpoint.eventTypes = data.eventTypes;
      if (data.description !== undefined) endpoint.description = data.description;
      if (data.enabled !== undefined) {
        endpoint.status = data.enabled ? 'enabled' : 'disabled';
        endpoint.disabledReason = data.enabled ? null : 'disabled by a member';
      }
      this.audit.record(tx, actor.tenantId, {
        action: 'webhook.updated', actor, target: { type: 'webhook_endpoint', id: endpoint.id }, ip, metadata: { changed: Object.keys(data) },
      });
      await tx.flush();
      return endpoint;
    });
    await this.routes?.announce(actor.tenantId);
    return updated;
  }

  async remove(em: EntityManager, actor: TenantActor, id: string, ip?: string): Promise<boolean> {
    const removed = await inTenant(em, actor.tenantId, async (tx) => {
      const endpoint = await this.findEndpoint(tx, id);
      this.audit.record(tx, actor.tenantId, { action: 'webhook.deleted', actor, target: { type: 'webhook_endpoint', id: endpoint.id }, ip });
      tx.remove(endpoint);
      await tx.flush();
      return true;
    });
    await this.routes?.announce(actor.tenantId);
    return removed;
  }

  /**
   * A new signing secret. The previous ones keep signing for `overlapMinutes`, so receivers can switch
   * to the new secret at their own pace without rejecting a single delivery.
   */
  async rotateSecret(em: EntityManager, actor: TenantActor, id: string, input: z.input<typeof rotateSchema>, ip?: string) {
    const { overlapMinutes } = parseInput(rotateSchema, input);
    const secret = newSecret();
    const endpoint = await inTenant(em, actor.tenantId, async (tx) => {
      const found = await this.findEndpoint(tx, id);
      const now = new Date();
      const until = new Date(now.getTime() + overlapMinutes * 60_000).toISOString();
      found.secrets = [
        { sealed: this.secretBox.seal(secret), createdAt: now.toISOString(), expiresAt: null },
        ...activeSecrets(found.secrets, now).map((s) => ({ ...s, expiresAt: s.expiresAt && s.expiresAt < until ? s.expiresAt : until })),
      ].filter((s) => s.expiresAt === null || new Date(s.expiresAt) > now);
      this.audit.record(tx, actor.tenantId, { action: 'webhook.secret_rotated', actor, target: { type: 'webhook_endpoint', id: found.id }, ip, metadata: { overlapMinutes } });
      await tx.flush();
      return found;
    });
    return { endpoint, secret };
  }

  async deliveries(
    em: EntityManager,
    actor: TenantActor,
    endpointId: string,
    page: KeysetRequest,
    status?: DeliveryStatus,
  ): Promise<Page<WebhookDelivery>> {
    const id = parseId(endpointId, 'endpointId');
    const deliveries = await listInTenant(em, actor.tenantId, {
      entity: WebhookDelivery,
      where: () => ({ endpointId: id, ...(status ? { status } : {}) }),
      check: (tx) => this.findEndpoint(tx, id),
    }, page);
    return mapNodes(deliveries, (row) => visibleTo(actor, row));
  }

  async attempts(em: EntityManager, tenantId: string, deliveryId: string): Promise<WebhookAttempt[]> {
    return inTenant(em, tenantId, async (tx) => {
      const id = parseId(deliveryId, 'deliveryId');
      if (!(await tx.count(WebhookDelivery, { id }))) throw DomainError.notFound('Webhook delivery');
      return tx.find(WebhookAttempt, { deliveryId: id }, { orderBy: { attempt: 'asc' } });
    });
  }

  /** Sends a delivery again from the start of the schedule, with the same webhook-id. */
  async replay(em: EntityManager, actor: TenantActor, deliveryId: string, ip?: string): Promise<WebhookDelivery> {
    const delivery = await inTenant(em, actor.tenantId, async (tx) => {
      const found = await tx.findOne(WebhookDelivery, { id: parseId(deliveryId, 'deliveryId') });
      if (!found) throw DomainError.notFound('Webhook delivery');
      await this.assertEnabled(tx, found.endpointId, 'replaying');
      if (found.status === 'pending') throw DomainError.conflict('The delivery is still pending; it will be sent on its schedule.');
      Object.assign(found, { status: 'pending', attempts: 0, nextAttemptAt: new Date(), leasedUntil: null, deliveredAt: null });
      this.audit.record(tx, actor.tenantId, { action: 'webhook.replayed', actor, target: { type: 'webhook_delivery', id: found.id }, ip });
      await tx.flush();
      return found;
    });
    this.onEnqueued();
    return visibleTo(actor, delivery);
  }

  /**
   * Makes a pending or failed delivery due now: one attempt at once, with the same webhook-id, the schedule
   * going on from where it stood (replay starts it again; a delivered one is replay's). The update is
   * conditional, so a worker recording an attempt meanwhile cannot be overwritten with a stale state.
   */
  async retryNow(em: EntityManager, actor: TenantActor, deliveryId: string, ip?: string): Promise<WebhookDelivery> {
    const id = parseId(deliveryId, 'deliveryId');
    const delivery = await inTenant(em, actor.tenantId, async (tx) => {
      const found = await tx.findOne(WebhookDelivery, { id });
      if (!found) throw DomainError.notFound('Webhook delivery');
      await this.assertEnabled(tx, found.endpointId, 'retrying');
      const due = await tx.nativeUpdate(WebhookDelivery, { id, status: { $in: ['pending', 'failed'] } }, { status: 'pending', nextAttemptAt: new Date() });
      if (due === 0) throw DomainError.conflict('The delivery was delivered already; replayWebhookDelivery sends it again.');
      this.audit.record(tx, actor.tenantId, { action: 'webhook.retried_now', actor, target: { type: 'webhook_delivery', id }, ip });
      await tx.flush();
      return tx.findOneOrFail(WebhookDelivery, { id }, { refresh: true });
    });
    this.onEnqueued();
    return visibleTo(actor, delivery);
  }

  /**
   * Queues a signed `webhook.test` event for one endpoint through the outbox, like any event: the receiver
   * can check its signature verification and the delivery log shows how it went.
   */
  async sendTest(em: EntityManager, actor: TenantActor, endpointId: string, ip?: string): Promise<WebhookDelivery> {
    const delivery = await inTenant(em, actor.tenantId, async (tx) => {
      const endpoint = await this.assertEnabled(tx, endpointId, 'testing');
      const created = this.enqueue(tx, endpoint, WEBHOOK_TEST_EVENT, new Date().toISOString(), {
        endpointId: endpoint.id,
        message: 'A test event sent with sendTestWebhookEvent; there is nothing to do.',
      });
      this.audit.record(tx, actor.tenantId, { action: 'webhook.test_sent', actor, target: { type: 'webhook_endpoint', id: endpoint.id }, ip });
      await tx.flush();
      return created;
    });
    this.onEnqueued();
    return delivery;
  }

  /** Writes the event to the outbox of every enabled endpoint of the tenant that wants it (see DomainEventOutbox). */
  async record(tx: EntityManager, tenantId: string, event: DomainEvent): Promise<void> {
    if (this.routes && !(await this.routes.mayDeliver(tx, tenantId, event.type))) return;
    const endpoints = (await tx.find(WebhookEndpoint, { tenantId, status: 'enabled' })).filter((e) => e.eventTypes.includes(event.type));
    // Most events of most tenants go nowhere: then there is nothing to write and no worker to wake
    // (every visitor message and reply passes here).
    if (endpoints.length === 0) return;
    const timestamp = new Date().toISOString();
    // Read once, only when some endpoint may have the details (see assertMayShareLeadDetails for who decides).
    const lead = event.leadDetails && endpoints.some((e) => e.includeLeadDetails) ? await event.leadDetails() : undefined;
    for (const endpoint of endpoints) {
      this.enqueue(tx, endpoint, event.type, timestamp, lead && endpoint.includeLeadDetails ? { ...event.data, lead } : event.data);
    }
    await tx.flush();
    this.onEnqueued();
  }

  /** One outbox row: the message for `endpoint`, due now (flushed by the caller). */
  private enqueue(tx: EntityManager, endpoint: WebhookEndpoint, type: WebhookEventType, timestamp: string, data: Record<string, unknown>): WebhookDelivery {
    return tx.create(WebhookDelivery, {
      id: randomUUID(),
      tenantId: endpoint.tenantId,
      endpointId: endpoint.id,
      messageId: newMessageId(),
      eventType: type,
      payload: { type, timestamp, data },
      status: 'pending',
      attempts: 0,
      nextAttemptAt: new Date(),
      leasedUntil: null,
      lastStatusCode: null,
      lastError: null,
      deliveredAt: null,
    });
  }

  /** The endpoint, if it may be sent to: a disabled one drops whatever is queued for it (webhook-worker.ts). */
  private async assertEnabled(tx: EntityManager, endpointId: string, doing: string): Promise<WebhookEndpoint> {
    const endpoint = await this.findEndpoint(tx, endpointId);
    if (endpoint.status !== 'enabled') {
      throw DomainError.conflict(`The endpoint is disabled; enable it (updateWebhookEndpoint) before ${doing}.`);
    }
    return endpoint;
  }

  private async findEndpoint(tx: EntityManager, id: string): Promise<WebhookEndpoint> {
    const endpoint = await tx.findOne(WebhookEndpoint, { id: parseId(id, 'id') });
    if (!endpoint) throw DomainError.notFound('Webhook endpoint');
    return endpoint;
  }
}

import { AsyncResource } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../core/crypto/index.ts';
import { inTenant } from '../../core/db/index.ts';
import type { Logger } from '../../core/logging/index.ts';
import type { OutboundPolicy } from '../../core/outbound/index.ts';
import { WebhookAttempt, WebhookDelivery } from './webhook-delivery.entity.ts';
import { WebhookEndpoint } from './webhook-endpoint.entity.ts';
import { isPermanentFailure } from './webhook-failure.ts';
import { sendWebhook, type SendOutcome } from './webhook-sender.ts';
import { activeSecrets } from './webhooks.service.ts';

/**
 * Retries after the first attempt, as Standard Webhooks implementations commonly schedule them:
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h — about a day and a half before an endpoint is given up.
 */
export const DEFAULT_RETRY_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
/** A Retry-After longer than this is not honoured in full: the schedule must end some day. */
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

export interface WebhookWorkerOptions {
  retryScheduleMs: readonly number[];
  pollIntervalMs: number;
  timeoutMs: number;
  /** Where endpoints' URLs may lead; checked again on every send, since DNS can change after saving. */
  outbound: OutboundPolicy;
  /** Deliveries a worker takes per poll, and sends concurrently. */
  batchSize?: number;
}

/** ±10 % so endpoints that failed together do not all come back at the same instant. */
function withJitter(ms: number): number {
  return Math.round(ms * (0.9 + Math.random() * 0.2));
}

/**
 * Sends due deliveries. Any number of instances may run one: each leases rows through
 * `mascot_lease_webhook_deliveries` (FOR UPDATE SKIP LOCKED), sends outside any transaction, and
 * records the outcome. A lease outlives the send timeout, so a lease only lapses when its worker died;
 * the row is then sent again by whoever leases it next — at most once more per crash.
 */
export class WebhookWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private pollAgain = false;
  /**
   * Nudges come from inside the transactions that enqueue deliveries. Scheduled from there, the poll
   * would run in that transaction's async context, where MikroORM's forks inherit the finished
   * transaction's event manager (its commit hooks then fired again for the worker's own transactions).
   * Bound here, in the worker's own context, the poll never sees the caller's.
   */
  private readonly scheduleFromOwnContext = AsyncResource.bind((delayMs: number) => this.schedule(delayMs));

  constructor(
    private readonly orm: MikroORM,
    private readonly secretBox: SecretBox,
    private readonly logger: Logger,
    private readonly options: WebhookWorkerOptions,
  ) {}

  start(): void {
    this.schedule(0);
  }

  /** Something was enqueued: look now rather than at the next poll. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) this.pollAgain = true;
    else this.scheduleFromOwnContext(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.poll()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'webhook poll failed'))
        .finally(() => {
          this.running = undefined;
          if (this.stopped) return;
          const again = this.pollAgain;
          this.pollAgain = false;
          this.schedule(again ? 0 : this.options.pollIntervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  /** The send deadline plus room for resolving the name and writing the outcome. */
  private get leaseMs(): number {
    return this.options.timeoutMs + 5_000;
  }

  /** Leases and sends due deliveries until none are left, then rests until the next poll. */
  private async poll(): Promise<void> {
    const batchSize = this.options.batchSize ?? 16;
    for (;;) {
      if (this.stopped) return;
      const leased = await this.orm.em
        .fork()
        .execute<{ id: string; tenant_id: string }[]>('select id, tenant_id from mascot_lease_webhook_deliveries(?, ?)', [this.leaseMs, batchSize]);
      if (leased.length === 0) return;
      await Promise.all(leased.map((row) => this.deliver(row.tenant_id, row.id)));
      if (leased.length < batchSize) return;
    }
  }

  private async deliver(tenantId: string, deliveryId: string): Promise<void> {
    const em = this.orm.em.fork();
    const prepared = await inTenant(em, tenantId, async (tx) => {
      const delivery = await tx.findOne(WebhookDelivery, { id: deliveryId });
      if (!delivery || delivery.status !== 'pending') return null;
      const endpoint = await tx.findOne(WebhookEndpoint, { id: delivery.endpointId });
      if (!endpoint || endpoint.status !== 'enabled') {
        Object.assign(delivery, { status: 'failed', lastError: 'the endpoint is disabled', leasedUntil: null, nextAttemptAt: null });
        await tx.flush();
        return null;
      }
      return {
        url: endpoint.url,
        messageId: delivery.messageId,
        body: JSON.stringify(delivery.payload),
        secrets: activeSecrets(endpoint.secrets).map((s) => this.secretBox.open(s.sealed)),
      };
    });
    if (!prepared) return;

    const startedAt = performance.now();
    const outcome = await sendWebhook(
      { ...prepared, timestamp: new Date() },
      { outbound: this.options.outbound, timeoutMs: this.options.timeoutMs },
    );
    const durationMs = Math.round(performance.now() - startedAt);
    await inTenant(em, tenantId, (tx) => this.record(tx, deliveryId, outcome, durationMs));
  }

  private async record(tx: EntityManager, deliveryId: string, outcome: SendOutcome, durationMs: number) {
    const delivery = await tx.findOneOrFail(WebhookDelivery, { id: deliveryId });
    const endpoint = await tx.findOneOrFail(WebhookEndpoint, { id: delivery.endpointId });
    delivery.attempts += 1;
    const logged = await tx.count(WebhookAttempt, { deliveryId });
    const statusCode = 'statusCode' in outcome ? outcome.statusCode : null;
    const error = 'error' in outcome ? outcome.error : outcome.kind === 'rejected' ? `HTTP ${outcome.statusCode}` : null;
    tx.create(WebhookAttempt, { id: randomUUID(), tenantId: delivery.tenantId, deliveryId, attempt: logged + 1, statusCode, error, durationMs });
    Object.assign(delivery, { leasedUntil: null, lastStatusCode: statusCode, lastError: error });

    if (outcome.kind === 'delivered') {
      Object.assign(delivery, { status: 'delivered', deliveredAt: new Date(), nextAttemptAt: null });
    } else if (outcome.kind === 'rejected' && outcome.statusCode === 410) {
      // 410 Gone is the receiver saying "stop": Standard Webhooks asks senders to disable the endpoint.
      Object.assign(delivery, { status: 'failed', nextAttemptAt: null });
      Object.assign(endpoint, { status: 'disabled', disabledReason: 'the endpoint answered 410 Gone' });
    } else if (isPermanentFailure(outcome)) {
      // Waiting cannot fix it (webhook-failure.ts): failed now, so the log says so today rather than in a day and
      // a half. The endpoint stays enabled: the next event may fare differently once the receiver is fixed.
      Object.assign(delivery, { status: 'failed', nextAttemptAt: null, lastError: `${error} (permanent: not retried)` });
    } else if (delivery.attempts > this.options.retryScheduleMs.length) {
      Object.assign(delivery, { status: 'failed', nextAttemptAt: null });
      Object.assign(endpoint, { status: 'disabled', disabledReason: `every retry failed (last: ${error})` });
    } else {
      const scheduled = withJitter(this.options.retryScheduleMs[delivery.attempts - 1]!);
      const retryAfter = outcome.kind === 'rejected' && outcome.retryAfterMs !== null ? Math.min(outcome.retryAfterMs, MAX_RETRY_AFTER_MS) : 0;
      delivery.nextAttemptAt = new Date(Date.now() + Math.max(scheduled, retryAfter));
    }
    if (endpoint.status === 'disabled') this.logger.warn({ endpointId: endpoint.id, reason: endpoint.disabledReason }, 'webhook endpoint disabled');
    await tx.flush();
  }
}

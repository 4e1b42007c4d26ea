import type { EntityManager } from '@mikro-orm/postgresql';
import type { MessageBus } from '../../core/bus/index.ts';
import { followInvalidations, ResolvedCache } from '../../core/cache/index.ts';
import type { Logger } from '../../core/logging/index.ts';

export interface WebhookRoutesOptions {
  /** Other instances hear of changed endpoints here; without one, only this process (which is all there is). */
  bus?: MessageBus | undefined;
  /** `subjects.clusterWebhookRoutes(namespace)`. */
  subject: string;
  logger?: Logger | undefined;
  /** Longest an entry is trusted: bounds what one lost announcement (core NATS is at-most-once) can cost. */
  ttlMs?: number;
  maxEntries?: number;
}

/**
 * Which event types each tenant's enabled webhook endpoints take, as last read. Every visitor message
 * and every reply records a domain event, and most tenants have no endpoint for it: asking the
 * database each time was two queries per exchange on the hot path for nothing. A tenant whose endpoints
 * may take the event still goes through the outbox's transactional read, so deliveries are decided
 * exactly as before; only "no endpoint takes this" is answered from memory. Changes are announced after
 * they commit (create, update, delete) and dropped on every instance within the bus's latency; an
 * endpoint disabled by the worker only makes the cached answer too generous, which the outbox's own read
 * corrects.
 */
export class WebhookRoutes {
  private readonly types: ResolvedCache<ReadonlySet<string>>;
  private unsubscribe: (() => void) | undefined;
  private bypass = false;

  constructor(private readonly options: WebhookRoutesOptions) {
    this.types = new ResolvedCache(options.ttlMs ?? 30_000, options.maxEntries ?? 50_000);
  }

  async start(): Promise<void> {
    const { bus, subject, logger } = this.options;
    if (!bus) return;
    this.unsubscribe = await followInvalidations(bus, subject, (change) => this.drop((change as { tenantId?: unknown })?.tenantId), (error) => {
      logger?.error({ err: error }, 'webhook route invalidations stopped; asking the database every time');
      this.bypass = true;
      this.types.clear();
    });
  }

  /** Whether any enabled endpoint of the tenant may take `eventType` (read in the caller's tenant transaction). */
  async mayDeliver(tx: EntityManager, tenantId: string, eventType: string): Promise<boolean> {
    if (this.bypass) return true;
    const types = await this.types.get(tenantId, async () => {
      const rows = await tx.execute<{ event_types: string[] }[]>(
        `select event_types from webhook_endpoint where tenant_id = ? and status = 'enabled'`,
        [tenantId],
      );
      return new Set(rows.flatMap((row) => row.event_types));
    });
    return types.has(eventType);
  }

  /** Call after a change to the tenant's endpoints committed: dropped here at once, then on the other instances. */
  async announce(tenantId: string): Promise<void> {
    this.drop(tenantId);
    const { bus, subject, logger } = this.options;
    try {
      await bus?.publish(subject, { tenantId });
    } catch (error) {
      logger?.error({ err: error, tenantId }, 'could not announce changed webhook endpoints to other instances');
    }
  }

  close(): void {
    this.unsubscribe?.();
  }

  private drop(tenantId: unknown): void {
    if (typeof tenantId === 'string') this.types.drop((key) => key === tenantId);
  }
}

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The server's Prometheus metrics, in a registry of its own (not prom-client's global one), so that
 * several servers in one process — tests — never share or double-register series.
 *
 * Labels are bounded: operation names come from clients, so only well-formed names are kept, and
 * only the first MAX_OPERATION_NAMES of them; later ones are counted as "other". Provider and
 * queue labels come from fixed catalogues.
 */
export const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export type Transport = 'http' | 'ws';

export interface Metrics {
  readonly registry: Registry;
  /** The label for a client-chosen operation name: itself, "anonymous" or "other". */
  operationLabel(name: string | null | undefined): string;
  operationStarted(labels: { operation: string; type: string; transport: Transport }): () => void;
  operationFailed(labels: { operation: string; code: string; transport: Transport }): void;
  subscriptionOpened(): () => void;
  /** A subscription event for one subscriber: executed, or given a result already executed for another. */
  subscriptionEvent(outcome: 'executed' | 'shared'): void;
  replyCompleted(labels: { provider: string }, seconds: { firstToken: number | null; total: number }): void;
  providerError(labels: { provider: string; reason: string }): void;
  /** Registers a gauge read when Prometheus scrapes (queue depths counted in the database). */
  gaugeOnScrape(name: string, help: string, labelNames: string[], read: () => Promise<{ labels: Record<string, string>; value: number }[]>): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mascot_' });
  const seenOperations = new Set<string>();

  const requests = new Counter({
    name: 'mascot_graphql_operations_total',
    help: 'GraphQL operations started, by operation name, type and transport.',
    labelNames: ['operation', 'type', 'transport'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'mascot_graphql_errors_total',
    help: 'GraphQL operations that ended in an error, by operation name and error code.',
    labelNames: ['operation', 'code', 'transport'],
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'mascot_graphql_duration_seconds',
    help: 'Time from receiving a GraphQL operation to sending its response (queries and mutations).',
    labelNames: ['operation', 'type', 'transport'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const subscriptions = new Gauge({
    name: 'mascot_active_subscriptions',
    help: 'GraphQL subscriptions currently streaming on this instance.',
    registers: [registry],
  });
  const subscriptionEvents = new Counter({
    name: 'mascot_subscription_events_total',
    help: 'Subscription events delivered per subscriber, by outcome: executed, or shared (the result executed once for the same event and selection).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  // Bound once: this runs per event and subscriber, the hottest counter there is.
  const executedEvents = subscriptionEvents.labels('executed');
  const sharedEvents = subscriptionEvents.labels('shared');
  const firstToken = new Histogram({
    name: 'mascot_reply_first_token_seconds',
    help: 'Time from a visitor message to the first token of the reply, by provider.',
    labelNames: ['provider'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16],
    registers: [registry],
  });
  const replyTotal = new Histogram({
    name: 'mascot_reply_seconds',
    help: 'Time from a visitor message to the stored reply, by provider.',
    labelNames: ['provider'],
    buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
    registers: [registry],
  });
  const providerErrors = new Counter({
    name: 'mascot_provider_errors_total',
    help: 'AI provider calls that failed, by provider and reason (timeout, rate_limited, http_5xx, …).',
    labelNames: ['provider', 'reason'],
    registers: [registry],
  });

  return {
    registry,
    operationLabel(name) {
      if (!name) return 'anonymous';
      if (!OPERATION_NAME.test(name)) return 'other';
      if (seenOperations.has(name)) return name;
      if (seenOperations.size >= MAX_OPERATION_NAMES) return 'other';
      seenOperations.add(name);
      return name;
    },
    operationStarted(labels) {
      requests.inc(labels);
      return durations.startTimer(labels);
    },
    operationFailed(labels) {
      errors.inc(labels);
    },
    subscriptionOpened() {
      subscriptions.inc();
      let open = true;
      return () => {
        if (open) subscriptions.dec();
        open = false;
      };
    },
    subscriptionEvent(outcome) {
      (outcome === 'executed' ? executedEvents : sharedEvents).inc();
    },
    replyCompleted({ provider }, seconds) {
      if (seconds.firstToken !== null) firstToken.observe({ provider }, seconds.firstToken);
      replyTotal.observe({ provider }, seconds.total);
    },
    providerError(labels) {
      providerErrors.inc(labels);
    },
    gaugeOnScrape(name, help, labelNames, read) {
      new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        async collect() {
          this.reset();
          for (const { labels, value } of await read()) this.set(labels, value);
        },
      });
    },
  };
}

/**
 * The cross-instance bus. Reply tokens produced on one server instance reach subscribers held
 * by any other instance through it. Two transports implement it: NATS (when NATS_URL is set)
 * and an in-process bus (single-process embedded default). Payloads are JSON values.
 */
export interface BusSubscription extends AsyncIterable<unknown> {
  /** Stops delivery and ends the iteration. Safe to call twice. */
  unsubscribe(): void;
}

export interface MessageBus {
  readonly kind: 'nats' | 'in-process';
  publish(subject: string, payload: unknown): Promise<void>;
  /** Delivery starts once this resolves, so subscribe before triggering what publishes. */
  subscribe(subject: string): Promise<BusSubscription>;
  /** Throws when the bus cannot be reached (readiness probe). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

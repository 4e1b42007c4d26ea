import { conversationEventSchema, type ConversationEvent } from '@mascot/events';
import { AsyncQueue, type BusSubscription, type MessageBus } from '../../core/bus/index.ts';
import type { Logger } from '../../core/logging/index.ts';

/** One local listener of a conversation's events; iterate it, and `leave` when done (idempotent). */
export interface HubListener extends AsyncIterable<ConversationEvent> {
  leave(): void;
}

interface Channel {
  subscription: BusSubscription;
  listeners: Set<AsyncQueue<ConversationEvent>>;
  closed: boolean;
}

/**
 * The instance's fan-out of conversation events: one bus subscription per conversation subject however
 * many local subscribers it has, each bus message parsed and validated once, and the same frozen event
 * object handed to every listener. Sharing the object is what lets the GraphQL layer execute and
 * serialize an event once for all subscribers with the same selection (core/graphql/shared-execution.ts).
 * Subjects carry the tenant, so listeners of one channel are always of one tenant and one conversation.
 */
export class ConversationEventHub {
  private readonly channels = new Map<string, { ready: Promise<Channel>; open?: Channel }>();
  private parsed = 0;

  constructor(
    private readonly bus: MessageBus,
    private readonly logger: Logger,
  ) {}

  /** Bus subscriptions held and events parsed so far, for tests and benchmarks. */
  get stats(): { channels: number; parsed: number } {
    return { channels: this.channels.size, parsed: this.parsed };
  }

  /** Resolves once the listener is live: every event published from then on reaches it. */
  async join(subject: string): Promise<HubListener> {
    for (;;) {
      const channel = await this.channel(subject);
      // The last listener may have left while this one waited for the channel; open a new one then.
      if (channel.closed) continue;
      const queue = new AsyncQueue<ConversationEvent>();
      channel.listeners.add(queue);
      let left = false;
      const leave = () => {
        if (left) return;
        left = true;
        queue.end();
        channel.listeners.delete(queue);
        if (channel.listeners.size === 0) this.close(subject, channel);
      };
      return {
        leave,
        [Symbol.asyncIterator]: () => {
          const iterator = queue[Symbol.asyncIterator]();
          return { next: () => iterator.next(), return: async () => (leave(), { value: undefined, done: true }) };
        },
      };
    }
  }

  private channel(subject: string): Promise<Channel> {
    const existing = this.channels.get(subject);
    if (existing) return existing.ready;
    const entry: { ready: Promise<Channel>; open?: Channel } = { ready: this.open(subject).then((channel) => (entry.open = channel)) };
    this.channels.set(subject, entry);
    entry.ready.catch(() => {
      if (this.channels.get(subject) === entry) this.channels.delete(subject);
    });
    return entry.ready;
  }

  private async open(subject: string): Promise<Channel> {
    const subscription = await this.bus.subscribe(subject);
    const channel: Channel = { subscription, listeners: new Set(), closed: false };
    void this.pump(subject, channel);
    return channel;
  }

  private async pump(subject: string, channel: Channel): Promise<void> {
    for await (const payload of channel.subscription) {
      const parsed = conversationEventSchema.safeParse(payload);
      if (!parsed.success) {
        this.logger.warn({ subject, issues: parsed.error.issues }, 'dropped a malformed conversation event');
        continue;
      }
      this.parsed += 1;
      // Shared by every listener (and their GraphQL executions): nobody may change it.
      const event = deepFreeze(parsed.data);
      for (const listener of channel.listeners) listener.push(event);
    }
    // The bus ended the subscription (the last listener left, or the bus closed): nothing more comes.
    for (const listener of channel.listeners) listener.end();
    if (!channel.closed) this.close(subject, channel);
  }

  private close(subject: string, channel: Channel): void {
    channel.closed = true;
    channel.subscription.unsubscribe();
    if (this.channels.get(subject)?.open === channel) this.channels.delete(subject);
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { conversationEventSchema, subjects, type ConversationEvent } from '@mascot/events';
import type { MessageBus } from '../../core/bus/index.ts';
import { inTenant } from '../../core/db/index.ts';
import { DomainError } from '../../core/errors/index.ts';
import type { Logger } from '../../core/logging/index.ts';

/** A conversation event before the log numbers it. */
export type UnnumberedEvent = ConversationEvent extends infer E
  ? E extends ConversationEvent
    ? Omit<E, 'seq'>
    : never
  : never;

/** Sent first on every conversationEvents subscription: every event after `seq` follows, none is missed. */
export interface SubscribedEvent {
  type: 'ConversationSubscribed';
  seq: number;
  conversationId: string;
}

/** Upper bound of one insert; a write holds at most this many events (tokens that arrived meanwhile). */
const MAX_BATCH = 500;
/** Replay reads the log in pages, so a long conversation never loads at once. */
const REPLAY_PAGE = 500;

/**
 * The durable, numbered event log of every conversation. Events are written to PostgreSQL first and
 * published on the bus after commit, each with a `seq` allocated from `conversation.last_event_seq`
 * (one row update per batch, serialized by its row lock, so instances never hand out the same number).
 * A subscriber subscribes to the bus first, then replays the log after its last seen seq, then follows
 * the live stream, dropping what the replay already gave: nothing is lost or repeated at the seam.
 */
export class ConversationEventLog {
  constructor(
    private readonly orm: MikroORM,
    private readonly bus: MessageBus,
    private readonly logger: Logger,
  ) {}

  /**
   * Numbers and stores events inside the caller's tenant transaction (so they commit together with
   * whatever else it writes). Publish the result with `publish` once the transaction has committed.
   */
  async append(tx: EntityManager, tenantId: string, conversationId: string, events: UnnumberedEvent[]): Promise<ConversationEvent[]> {
    if (events.length === 0) return [];
    const [row] = await tx.execute<{ last: number }[]>(
      'update conversation set last_event_seq = last_event_seq + ? where id = ? returning last_event_seq as last',
      [events.length, conversationId],
    );
    if (!row) throw DomainError.notFound('Conversation');
    const first = row.last - events.length + 1;
    const numbered = events.map((event, index) => ({ ...event, seq: first + index }) as ConversationEvent);
    await tx.execute(
      `insert into conversation_event (tenant_id, conversation_id, seq, type, payload) values ${numbered.map(() => '(?, ?, ?, ?, ?::jsonb)').join(', ')}`,
      numbered.flatMap((event) => [tenantId, conversationId, event.seq, event.type, JSON.stringify(event)]),
    );
    return numbered;
  }

  /** Publishes committed events in order, on the conversation's tenant-scoped subject. */
  async publish(tenantId: string, conversationId: string, events: ConversationEvent[]): Promise<void> {
    const subject = subjects.conversationReply(tenantId, conversationId);
    for (const event of events) await this.bus.publish(subject, event);
  }

  /** Logs events in their own transaction, then publishes them. */
  async record(tenantId: string, conversationId: string, events: UnnumberedEvent[]): Promise<ConversationEvent[]> {
    const numbered = await inTenant(this.orm.em.fork(), tenantId, (tx) => this.append(tx, tenantId, conversationId, events));
    await this.publish(tenantId, conversationId, numbered);
    return numbered;
  }

  /** A batching writer for one stream of events (one reply); see ReplyEventWriter. */
  writer(tenantId: string, conversationId: string): ReplyEventWriter {
    return new ReplyEventWriter((events) => this.record(tenantId, conversationId, events));
  }

  /**
   * Every event of the conversation after `afterSeq` (or, without it, from now on), live. Yields
   * ConversationSubscribed first, with the seq the stream continues after. Access is the caller's
   * to check; the log is read inside the tenant's transaction.
   */
  async *follow(
    em: EntityManager,
    tenantId: string,
    conversationId: string,
    afterSeq: number | null,
    stop?: AbortSignal,
  ): AsyncGenerator<ConversationEvent | SubscribedEvent> {
    // Subscribe before reading: an event committed after the read is published after it, so it is live.
    const subscription = await this.bus.subscribe(subjects.conversationReply(tenantId, conversationId));
    // Ending the subscription ends the wait for the next event, so the generator reaches its finally
    // at once instead of when (if ever) the conversation's next event arrives.
    const end = () => subscription.unsubscribe();
    stop?.addEventListener('abort', end, { once: true });
    if (stop?.aborted) end();
    try {
      let position = afterSeq ?? (await this.latestSeq(em, tenantId, conversationId));
      yield { type: 'ConversationSubscribed', seq: position, conversationId };
      if (afterSeq !== null) {
        for await (const event of this.replay(em, tenantId, conversationId, afterSeq)) {
          position = event.seq;
          yield event;
        }
      }
      for await (const payload of subscription) {
        const event = conversationEventSchema.safeParse(payload);
        if (!event.success) {
          this.logger.warn({ conversationId, issues: event.error.issues }, 'dropped a malformed conversation event');
          continue;
        }
        // The seam: what the replay (or the position) already covers arrives live too; drop it once.
        if (event.data.seq <= position) continue;
        yield event.data;
      }
    } finally {
      stop?.removeEventListener('abort', end);
      subscription.unsubscribe();
    }
  }

  private async latestSeq(em: EntityManager, tenantId: string, conversationId: string): Promise<number> {
    return inTenant(em, tenantId, async (tx) => {
      const [row] = await tx.execute<{ last: number }[]>('select last_event_seq as last from conversation where id = ?', [conversationId]);
      if (!row) throw DomainError.notFound('Conversation');
      return row.last;
    });
  }

  private async *replay(em: EntityManager, tenantId: string, conversationId: string, afterSeq: number): AsyncGenerator<ConversationEvent> {
    let after = afterSeq;
    for (;;) {
      const rows = await inTenant(em, tenantId, (tx) =>
        tx.execute<{ payload: unknown }[]>(
          'select payload from conversation_event where conversation_id = ? and seq > ? order by seq limit ?',
          [conversationId, after, REPLAY_PAGE],
        ),
      );
      for (const row of rows) {
        const event = conversationEventSchema.parse(row.payload);
        after = event.seq;
        yield event;
      }
      if (rows.length < REPLAY_PAGE) return;
    }
  }
}

/**
 * Writes one reply's events with natural batching: the first event is written at once; events that
 * arrive while a write is in flight go out together in the next one. A fast token stream therefore
 * costs a handful of inserts, not one per token, and is never slowed by the database: `emit` does not
 * wait. `flush` waits for everything emitted so far and rethrows a failed write.
 */
export class ReplyEventWriter {
  private pending: UnnumberedEvent[] = [];
  private writing: Promise<void> | null = null;
  private failure: unknown = null;
  private written = 0;
  private writes = 0;

  constructor(private readonly write: (events: UnnumberedEvent[]) => Promise<ConversationEvent[]>) {}

  /** Events and database writes so far (for logs and benchmarks). */
  get stats(): { events: number; writes: number } {
    return { events: this.written, writes: this.writes };
  }

  emit(event: UnnumberedEvent): void {
    if (this.failure) return; // the reply is failing already; flush reports why
    this.pending.push(event);
    this.writing ??= this.drain();
  }

  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.failure) throw this.failure;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_BATCH);
        await this.write(batch);
        this.written += batch.length;
        this.writes += 1;
      }
    } catch (error) {
      this.failure = error;
      this.pending = [];
    } finally {
      this.writing = null;
    }
  }
}

import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { replyTailRequestSchema, subjects, type ConversationEvent, type ReplyTailAnswer } from '@mascot/events';
import type { BusSubscription, MessageBus } from '../../core/bus/index.ts';
import { inTenant, inlineUuid, type SideReads } from '../../core/db/index.ts';
import { DomainError } from '../../core/errors/index.ts';
import type { Logger } from '../../core/logging/index.ts';
import { storeEvents, type UnnumberedEvent } from './conversation-event-rows.ts';

/** Seqs taken by a reply's first lease: a typical answer (tens of tokens, its cues) needs no second one. */
const FIRST_LEASE = 64;
const MAX_LEASE = 1024;
/** How long a finished reply still answers tail requests: covers a resume that read `streaming_replies` just before completion. */
const TAIL_LINGER_MS = 10_000;

export interface ReplyEventStreamDeps {
  orm: MikroORM;
  bus: MessageBus;
  logger: Logger;
  /** The longest an emitted event stays only in memory before it is stored (a crash loses at most this much). */
  storeAfterMs: number;
  /** On real PostgreSQL: leases are taken in one round trip on this pool instead of an ORM transaction. */
  sideReads?: SideReads;
}

type Range = { next: number; last: number };

/**
 * The events of one reply while it is produced, on the producing instance. Seqs come from a lease taken
 * in PostgreSQL (`conversation.last_event_seq` advanced by a block, the reply listed in
 * `streaming_replies`), so an event is numbered and published the moment it is emitted: no database
 * round trip per token. The events are kept in memory for subscribers resuming mid-reply (answered over
 * the bus, `subjects.replyTailRequest`) and stored in coarse batches: whatever is older than
 * `storeAfterMs`, and the rest with the reply's closing events in the transaction that stores the reply
 * (`settle`), which also gives back the unused end of the lease.
 */
export class ReplyEventStream {
  private readonly subject: string;
  /** Every event published so far, in seq order: the in-flight tail resumes are answered from. */
  private readonly published: ConversationEvent[] = [];
  /** `published[0, stored)` are in the database. */
  private stored = 0;
  /** Emitted while no leased seq was at hand; published as soon as the next lease arrives. */
  private waiting: UnnumberedEvent[] = [];
  private readonly ranges: Range[] = [];
  private leaseSize = FIRST_LEASE;
  /** The end of the newest lease: `last_event_seq` as this reply left it, unless another writer came after. */
  private leasedUpTo = 0;
  /**
   * The first seq of the run of leases that follow each other without a gap and end at `leasedUpTo`: every
   * seq in it is this reply's, so settling may give back anything in it the reply did not use. A lease taken
   * ahead and never used (a reply that ends just after crossing the threshold) is given back whole.
   */
  private blockStart = 0;
  private leasing: Promise<void> | null = null;
  private storing: Promise<void> | null = null;
  private storeTimer: NodeJS.Timeout | undefined;
  private tail: BusSubscription | null = null;
  private failure: unknown = null;
  /** No more events (`seal`); `settle` may run, and run again if its transaction rolled back. */
  private sealed = false;
  /** A `settle` committed and its events went out: the reply is off `streaming_replies`. */
  private finished = false;
  /** The first lease and the tail responder; rejects when the reply cannot be numbered. */
  readonly ready: Promise<void>;

  constructor(
    private readonly deps: ReplyEventStreamDeps,
    readonly tenantId: string,
    readonly conversationId: string,
    readonly messageId: string,
  ) {
    this.subject = subjects.conversationReply(tenantId, conversationId);
    this.ready = this.open();
    this.ready.catch(() => undefined); // reported by `settle`
  }

  /** Events and database rows so far (for logs and benchmarks). */
  get stats(): { events: number; stored: number } {
    return { events: this.published.length, stored: this.stored };
  }

  /** Whether the reply's events are settled and published: later events go through the log's `append`. */
  get isFinished(): boolean {
    return this.finished;
  }

  /** Numbers and publishes the event now (or as soon as the first lease is in). Never waits. */
  emit(event: UnnumberedEvent): void {
    if (this.failure || this.sealed) return; // a failing reply: seal reports why
    this.push(event);
  }

  /**
   * Ends the stream before its closing transaction: no more events, no batch store or lease started, and
   * those in flight (and events waiting for a lease) done. Call it outside any transaction: it may wait
   * for the database on other connections. Throws when the reply could not be numbered or published.
   */
  async seal(): Promise<void> {
    this.sealed = true;
    clearTimeout(this.storeTimer);
    this.storeTimer = undefined;
    await this.ready;
    while (this.leasing) await this.leasing;
    while (this.storing) await this.storing;
    if (this.failure) throw this.failure;
  }

  /**
   * Inside the caller's tenant transaction: gives back the unused end of the lease, numbers `closing`
   * after everything published, stores whatever is not stored yet plus `closing`, and takes the reply off
   * `streaming_replies` — in one update of the conversation row (with `lastMessageAt` when given). Publish
   * the result with `finish` once the transaction has committed. Throws when the reply could not be numbered
   * or its events could not be published.
   */
  async settle(tx: EntityManager, closing: UnnumberedEvent[], options: { lastMessageAt?: Date } = {}): Promise<ConversationEvent[]> {
    if (this.finished) throw new Error('The reply was settled already.');
    if (!this.sealed || this.leasing || this.storing || this.waiting.length > 0) throw new Error('Seal the reply before settling it.');
    if (this.failure) throw this.failure;
    const usedUpTo = this.published.at(-1)?.seq ?? this.blockStart - 1;
    // Give back what this reply leased and did not use, unless someone numbered events after the lease
    // (then the unused seqs stay a gap; never hand out a seq below this reply's unbroken block of leases).
    const [row] = await tx.execute<{ last: number }[]>(
      `update conversation set
         last_event_seq = (case when last_event_seq = ? then ? else last_event_seq end) + ?,
         streaming_replies = array_remove(streaming_replies, ?::uuid)${options.lastMessageAt ? ', last_message_at = ?' : ''}
       where id = ? returning last_event_seq as last`,
      [
        this.leasedUpTo, Math.max(usedUpTo, this.blockStart - 1), closing.length, this.messageId,
        ...(options.lastMessageAt ? [options.lastMessageAt] : []), this.conversationId,
      ],
    );
    if (!row) throw DomainError.notFound('Conversation');
    const first = row.last - closing.length + 1;
    const numbered = closing.map((event, index) => ({ ...event, seq: first + index }) as ConversationEvent);
    await storeEvents(tx, this.tenantId, this.conversationId, [...this.published.slice(this.stored), ...numbered]);
    return numbered;
  }

  /** Publishes the closing events once their transaction has committed, then lingers briefly for tail requests. */
  async finish(events: ConversationEvent[]): Promise<void> {
    this.finished = true;
    this.stored = this.published.length + events.length;
    for (const event of events) {
      this.published.push(event);
      await this.deps.bus.publish(this.subject, event);
    }
    this.close(TAIL_LINGER_MS);
  }

  /** Stops answering tail requests (after `afterMs`) and drops the events held for them. */
  close(afterMs = 0): void {
    clearTimeout(this.storeTimer);
    const stop = () => this.tail?.unsubscribe();
    if (afterMs === 0) stop();
    else setTimeout(stop, afterMs).unref();
  }

  private async open(): Promise<void> {
    try {
      // Answer tail requests before the lease lists this reply in `streaming_replies`: a resuming
      // subscriber that sees it there asks after reading it, so the request always finds this listener.
      this.tail = await this.deps.bus.subscribe(subjects.replyTailRequest(this.tenantId, this.conversationId));
      void this.answerTailRequests(this.tail);
      this.extendLease();
      await this.leasing;
      if (this.failure) throw this.failure;
    } catch (error) {
      this.failure ??= error;
      this.tail?.unsubscribe();
      throw error;
    }
  }

  private async answerTailRequests(requests: BusSubscription): Promise<void> {
    for await (const payload of requests) {
      const request = replyTailRequestSchema.safeParse(payload);
      if (!request.success) continue;
      const answer: ReplyTailAnswer = { messageId: this.messageId, events: this.published.filter((e) => e.seq > request.data.after) };
      await this.deps.bus
        .publish(subjects.replyTailAnswer(this.tenantId, this.conversationId, request.data.requestId), answer)
        .catch((error: unknown) => this.deps.logger.warn({ err: error, conversationId: this.conversationId }, 'could not answer a tail request'));
    }
  }

  /** Takes the next block of seqs and lists the reply as streaming (one row update, outside any other transaction). */
  private async lease(): Promise<void> {
    const size = this.leaseSize;
    this.leaseSize = Math.min(size * 2, MAX_LEASE);
    const leaseSql = (size: number | string, messageId: string, conversationId: string) => `update conversation set
         last_event_seq = last_event_seq + ${size},
         streaming_replies = case when ${messageId} = any(streaming_replies) then streaming_replies else array_append(streaming_replies, ${messageId}) end
       where id = ${conversationId} returning last_event_seq as last`;
    // Every reply takes a lease: one round trip where the side pool exists (real PostgreSQL), values inlined
    // (validated UUIDs and an integer); on embedded PGlite an ordinary tenant transaction.
    const [row] = this.deps.sideReads
      ? await this.deps.sideReads.writeInOneTrip<{ last: number }>(
          this.tenantId,
          leaseSql(Math.trunc(size), inlineUuid(this.messageId), inlineUuid(this.conversationId)),
        )
      : await inTenant(this.deps.orm.em.fork(), this.tenantId, (tx) =>
          tx.execute<{ last: number }[]>(leaseSql('?', '?::uuid', '?'), [size, this.messageId, this.messageId, this.conversationId]),
        );
    if (!row) throw DomainError.notFound('Conversation');
    const last = row.last;
    const start = last - size + 1;
    this.ranges.push({ next: start, last });
    // Right after this reply's previous lease (0 before the first): nobody took seqs in between, the block goes on.
    if (this.leasedUpTo === 0 || start !== this.leasedUpTo + 1) this.blockStart = start;
    this.leasedUpTo = last;
    const waiting = this.waiting;
    this.waiting = [];
    for (const event of waiting) this.push(event);
  }

  private push(event: UnnumberedEvent): void {
    if (this.waiting.length > 0 || this.free() === 0) {
      this.waiting.push(event);
      this.extendLease();
      return;
    }
    this.publish(event);
  }

  /** Leases ahead when a quarter of the seqs is left, so a fast stream never waits for the database. */
  private extendLease(): void {
    // Sealed, a lease is still taken for events already waiting (they were emitted before the seal).
    if (this.leasing || this.failure || (this.sealed && this.waiting.length === 0)) return;
    this.leasing = this.lease()
      .catch((error: unknown) => {
        this.failure ??= error;
        this.waiting = [];
      })
      .finally(() => {
        this.leasing = null;
        // A burst larger than the lease just taken waits for the next one.
        if (this.waiting.length > 0) this.extendLease();
      });
  }

  private free(): number {
    return this.ranges.reduce((sum, range) => sum + (range.last - range.next + 1), 0);
  }

  private publish(event: UnnumberedEvent): void {
    const range = this.ranges[0]!;
    const numbered = { ...event, seq: range.next } as ConversationEvent;
    range.next += 1;
    if (range.next > range.last) this.ranges.shift();
    if (!this.sealed && this.free() < this.leaseSize / 8) this.extendLease();
    this.published.push(numbered);
    // In emit order: both bus transports hand the message over synchronously, before the first await.
    void this.deps.bus.publish(this.subject, numbered).catch((error: unknown) => {
      this.failure ??= error;
    });
    if (!this.sealed) this.storeTimer ??= setTimeout(() => this.storeBatch(), this.deps.storeAfterMs).unref();
  }

  /** Stores what is only in memory, in its own transaction; a failure is retried with the next batch. */
  private storeBatch(): void {
    this.storeTimer = undefined;
    if (this.sealed || this.storing) return;
    const upTo = this.published.length;
    const batch = this.published.slice(this.stored, upTo);
    if (batch.length === 0) return;
    this.storing = inTenant(this.deps.orm.em.fork(), this.tenantId, (tx) => storeEvents(tx, this.tenantId, this.conversationId, batch))
      .then(() => {
        this.stored = upTo;
      })
      .catch((error: unknown) => this.deps.logger.warn({ err: error, conversationId: this.conversationId }, 'could not store a batch of reply events; retrying with the next'))
      .finally(() => {
        this.storing = null;
        if (!this.sealed && this.published.length > this.stored) this.storeTimer ??= setTimeout(() => this.storeBatch(), this.deps.storeAfterMs).unref();
      });
  }
}

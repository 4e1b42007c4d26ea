import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { ErrorCode } from '@mascot/contracts';
import { replyTailAnswerSchema, subjects, type ConversationEvent } from '@mascot/events';
import type { MessageBus } from '../../core/bus/index.ts';
import { inTenant, inlineUuid, type SideReads } from '../../core/db/index.ts';
import { DomainError } from '../../core/errors/index.ts';
import type { Logger } from '../../core/logging/index.ts';
import { ConversationEventHub } from './conversation-event-hub.ts';
import { storedEventsAfter, storeEvents, type UnnumberedEvent } from './conversation-event-rows.ts';
import { ReplyEventStream } from './reply-event-stream.ts';

export type { UnnumberedEvent } from './conversation-event-rows.ts';

/** Sent first on every conversationEvents subscription: every event after `seq` follows, none is missed. */
export interface SubscribedEvent {
  type: 'ConversationSubscribed';
  seq: number;
  conversationId: string;
}

export interface ConversationEventLogOptions {
  /** How long a resuming subscriber waits for a producing instance to send a reply's in-flight tail; it asks twice. */
  tailTimeoutMs?: number;
  /** The longest a published reply event stays only in the producer's memory (ReplyEventStream). */
  storeAfterMs?: number;
  /** On real PostgreSQL: replies take their seq leases in one round trip on this pool (ReplyEventStream). */
  sideReads?: SideReads;
}

const DEFAULT_TAIL_TIMEOUT_MS = 1_500;
const DEFAULT_STORE_AFTER_MS = 5_000;

/** What the visitor reads when the instance producing a reply died before finishing it. */
const INTERRUPTED_REASON = 'The reply was interrupted. Please ask again.';

/**
 * The numbered event log of every conversation (REPLY-PATH.md, "Event log, seq and reconnects").
 *
 * - One-off events (handoff changes, posted messages, closing events) are numbered from
 *   `conversation.last_event_seq` and stored in the caller's transaction (`append`), then published
 *   after commit (`publish`).
 * - A reply streams through a ReplyEventStream (`startReply`): seqs leased in a block, each event
 *   published at once and stored in coarse batches; its producer answers resumes for what is not stored yet.
 * - `follow` subscribes (through the instance's hub: one bus subscription and one parse per event however
 *   many subscribers) before it reads, then replays stored events and in-flight tails, then goes live,
 *   dropping what the replay already gave: nothing is lost or repeated at the seam.
 */
export class ConversationEventLog {
  private readonly hub: ConversationEventHub;
  private readonly tailTimeoutMs: number;
  private readonly storeAfterMs: number;
  private readonly sideReads: SideReads | undefined;

  constructor(
    private readonly orm: MikroORM,
    private readonly bus: MessageBus,
    private readonly logger: Logger,
    options: ConversationEventLogOptions = {},
  ) {
    this.hub = new ConversationEventHub(bus, logger);
    this.tailTimeoutMs = options.tailTimeoutMs ?? DEFAULT_TAIL_TIMEOUT_MS;
    this.storeAfterMs = options.storeAfterMs ?? DEFAULT_STORE_AFTER_MS;
    this.sideReads = options.sideReads;
  }

  /** Bus subscriptions held by the hub and events it parsed (each once, whatever the subscribers). */
  get fanOutStats(): { channels: number; parsed: number } {
    return this.hub.stats;
  }

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
    await storeEvents(tx, tenantId, conversationId, numbered);
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

  /** Starts numbering one reply's events: publishes at once, stores in batches (see ReplyEventStream). */
  startReply(tenantId: string, conversationId: string, messageId: string): ReplyEventStream {
    return new ReplyEventStream(
      { orm: this.orm, bus: this.bus, logger: this.logger, storeAfterMs: this.storeAfterMs, ...(this.sideReads ? { sideReads: this.sideReads } : {}) },
      tenantId, conversationId, messageId,
    );
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
    // Subscribe before reading: an event stored or leased after the read is published after it, so it is live.
    const live = await this.hub.join(subjects.conversationReply(tenantId, conversationId));
    // Leaving ends the wait for the next event, so the generator reaches its finally at once instead of
    // when (if ever) the conversation's next event arrives.
    const end = () => live.leave();
    stop?.addEventListener('abort', end, { once: true });
    if (stop?.aborted) end();
    try {
      const state = await this.streamingState(em, tenantId, conversationId);
      // Without afterSeq nothing is dropped: a reply already streaming continues live, seqs at or below this one included.
      yield { type: 'ConversationSubscribed', seq: afterSeq ?? state.last, conversationId };
      const replayed = new Set<number>();
      if (afterSeq !== null) {
        for await (const event of this.replay(em, tenantId, conversationId, afterSeq, state.streaming)) {
          replayed.add(event.seq);
          yield event;
        }
      }
      const floor = afterSeq ?? 0;
      for await (const event of live) {
        // The seam: what the replay (or the starting position) already covers arrives live too; drop it once.
        if (event.seq <= floor || replayed.has(event.seq)) continue;
        yield event;
      }
    } finally {
      stop?.removeEventListener('abort', end);
      live.leave();
    }
  }

  /**
   * Closes a reply whose producer stopped answering (the instance died mid-reply) with ReplyFailed, if it
   * is still listed as streaming; exactly one caller wins. Returns the event, or null when there was nothing to close.
   */
  async interrupt(em: EntityManager, tenantId: string, conversationId: string, messageId: string): Promise<ConversationEvent | null> {
    const failed = await inTenant(em, tenantId, async (tx) => {
      const [row] = await tx.execute<{ last: number }[]>(
        `update conversation set last_event_seq = last_event_seq + 1, streaming_replies = array_remove(streaming_replies, ?::uuid)
         where id = ? and ?::uuid = any(streaming_replies) returning last_event_seq as last`,
        [messageId, conversationId, messageId],
      );
      if (!row) return null;
      const event: ConversationEvent = { type: 'ReplyFailed', seq: row.last, messageId, code: ErrorCode.SERVICE_UNAVAILABLE, reason: INTERRUPTED_REASON };
      await storeEvents(tx, tenantId, conversationId, [event]);
      return event;
    });
    if (failed) {
      this.logger.warn({ conversationId, messageId }, 'a reply was cut off with its producer; closed it as failed');
      await this.publish(tenantId, conversationId, [failed]);
    }
    return failed;
  }

  /**
   * Which of `messageIds` (replies listed in `streaming_replies`) no producer answers for: one tail request,
   * asking for nothing (after the largest seq), so live producers answer with an empty list. Null when the
   * bus did not deliver this instance's own probe in time: then silence proves nothing and nothing is closed
   * (a bus outage must not look like every producer dying). Used by the orphaned-reply sweep.
   */
  async silentProducers(tenantId: string, conversationId: string, messageIds: string[]): Promise<string[] | null> {
    const answered = await this.askForTails(tenantId, conversationId, Number.MAX_SAFE_INTEGER, messageIds, { probe: true });
    return answered.probed ? answered.missing : null;
  }

  /**
   * A resume's replay: the stored events after `afterSeq`, merged in seq order with the in-flight tails of the
   * replies being produced (asked for after reading `streaming_replies`, so each producer is already listening).
   * A reply whose producer does not answer twice is closed with ReplyFailed before the stored events are read.
   */
  private async *replay(
    em: EntityManager,
    tenantId: string,
    conversationId: string,
    afterSeq: number,
    streaming: string[],
  ): AsyncGenerator<ConversationEvent> {
    let tail: ConversationEvent[] = [];
    let missing = streaming;
    for (let attempt = 0; attempt < 2 && missing.length > 0; attempt++) {
      const answered = await this.askForTails(tenantId, conversationId, afterSeq, missing);
      tail = tail.concat(answered.events);
      // A reply that finished meanwhile stored everything; only those still listed can be cut off.
      const still = new Set((await this.streamingState(em, tenantId, conversationId)).streaming);
      missing = answered.missing.filter((id) => still.has(id));
    }
    for (const messageId of missing) await this.interrupt(em, tenantId, conversationId, messageId);

    tail.sort((a, b) => a.seq - b.seq);
    let next = 0;
    let last = afterSeq;
    const emit = function* (event: ConversationEvent) {
      if (event.seq <= last) return;
      last = event.seq;
      yield event;
    };
    for await (const event of storedEventsAfter(em, tenantId, conversationId, afterSeq)) {
      while (next < tail.length && tail[next]!.seq < event.seq) yield* emit(tail[next++]!);
      yield* emit(event);
    }
    while (next < tail.length) yield* emit(tail[next++]!);
  }

  /** Asks the producers of `messageIds` for their events after `afterSeq`; returns what came and who stayed silent. */
  private async askForTails(
    tenantId: string,
    conversationId: string,
    afterSeq: number,
    messageIds: string[],
    options: { probe?: boolean } = {},
  ): Promise<{ events: ConversationEvent[]; missing: string[]; probed: boolean }> {
    const requestId = randomUUID();
    const answerSubject = subjects.replyTailAnswer(tenantId, conversationId, requestId);
    const answers = await this.bus.subscribe(answerSubject);
    // The probe is an answer this instance sends itself (its id is the request's): hearing it proves the bus delivers.
    const waitingFor = new Set(options.probe ? [...messageIds, requestId] : messageIds);
    const events: ConversationEvent[] = [];
    const timer = setTimeout(() => answers.unsubscribe(), this.tailTimeoutMs);
    try {
      await this.bus.publish(subjects.replyTailRequest(tenantId, conversationId), { requestId, after: afterSeq });
      if (options.probe) await this.bus.publish(answerSubject, { messageId: requestId, events: [] });
      for await (const payload of answers) {
        const answer = replyTailAnswerSchema.safeParse(payload);
        if (!answer.success) continue;
        events.push(...answer.data.events.filter((e) => e.seq > afterSeq));
        waitingFor.delete(answer.data.messageId);
        if (waitingFor.size === 0) break;
      }
    } finally {
      clearTimeout(timer);
      answers.unsubscribe();
    }
    const probed = !waitingFor.delete(requestId);
    return { events, missing: [...waitingFor], probed };
  }

  private async streamingState(em: EntityManager, tenantId: string, conversationId: string): Promise<{ last: number; streaming: string[] }> {
    const sql = 'select last_event_seq as last, streaming_replies::text[] as streaming from conversation where id = ';
    // Every subscription starts here (issue 13): on real PostgreSQL one round trip on the side pool
    // (role, tenant and this read in one message) instead of an ORM transaction's three.
    const [row] = this.sideReads
      ? await this.sideReads.readInOneTrip<{ last: number; streaming: string[] }>(tenantId, sql + inlineUuid(conversationId))
      : await inTenant(em, tenantId, (tx) => tx.execute<{ last: number; streaming: string[] }[]>(`${sql}?`, [conversationId]));
    if (!row) throw DomainError.notFound('Conversation');
    return { last: row.last, streaming: row.streaming };
  }
}

import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { privacyOf } from '@mascot/bot-bundle';
import { ErrorCode } from '@mascot/contracts';
import { subjects, visitorPresenceEventSchema } from '@mascot/events';
import { inTenant, type DeferredCounters, type SideReads } from '../../core/db/index.ts';
import { DomainError } from '../../core/errors/index.ts';
import type { MessageBus } from '../../core/bus/index.ts';
import type { DomainEventOutbox } from '../../core/events/index.ts';
import type { Metrics } from '../../core/metrics/index.ts';
import type { Logger } from '../../core/logging/index.ts';
import { annotateActiveSpan, failActiveSpan, startSpan, traced, withSpan, type TraceSpan } from '../../core/telemetry/index.ts';
import { priceUsage, type AiProvider, type ReplyRequest, type ReplyStream } from '../ai/index.ts';
import { findCuratedAnswer, retrievePassages, searchConfigFor, type CuratedAnswerMatch, type EmbeddingProviders, type QueryVector } from '../knowledge/index.ts';
import type { UsageService } from '../tenants/index.ts';
import type { AnswerCache, CachedAnswer, CacheScope } from './answer-cache.ts';
import { ReplyCues } from './avatar-cues.ts';
import { cachedReplyStream, CACHE_PROVIDER } from './cached-reply-stream.ts';
import { curatedReplyStream } from './curated-reply-stream.ts';
import type { ConversationEventLog, UnnumberedEvent } from './conversation-event-log.ts';
import { Conversation } from './conversation.entity.ts';
import { replyHandoffContextOf, replyHandoffLine, type ReplyHandoffContext } from './handoff.offer.ts';
import { isBotUnsure, isReplyGrounded } from './handoff.policy.ts';
import { recordHandoffOffer } from './handoff-changes.ts';
import { messageCreatedData, toReplyMessage } from './message-dto.ts';
import { CHAT_TURNS, isChatTurn, Message } from './message.entity.ts';
import { personaOf } from './persona.ts';
import { conversationWithBotName, pinnedVersionOf } from './pinned-version.ts';
import { foundPii, phoneRegionsFor, redactPii } from './pii-redaction.ts';
import type { ReplyEventStream } from './reply-event-stream.ts';
import { addReplyToDailyUsage } from './reply-usage.ts';

export interface ReplyJob {
  tenantId: string;
  conversationId: string;
  question: string;
  /** The visitor message being answered: analytics marks it unanswered when retrieval found nothing. */
  questionMessageId?: string;
}

export interface ReplyPipelineDeps {
  orm: MikroORM;
  bus: MessageBus;
  provider: AiProvider;
  logger: Logger;
  events: ConversationEventLog;
  usage: UsageService;
  /** The per-bot daily usage roll-up is added through these (written once a second). */
  counters: DeferredCounters;
  cache: AnswerCache;
  /** Domain events for webhooks (reply completed), recorded in the transaction that stores the reply. */
  outbox: DomainEventOutbox;
  /** Embeds questions with the bot's embedding model; without it only offline-embedded bots get vector search. */
  embeddings?: EmbeddingProviders;
  /** Retrieval's side pool (knowledge's retrieval.service.ts), on real PostgreSQL. */
  sideReads?: SideReads;
  metrics?: Pick<Metrics, 'replyCompleted'>;
  /**
   * How long a reply keeps streaming after the visitor's last subscription ended (a reconnect within
   * it resumes the stream); then the provider stream is aborted. Default 10 s.
   */
  visitorLeftGraceMs?: number;
}

const DEFAULT_VISITOR_LEFT_GRACE_MS = 10_000;

/** How long shutdown waits for aborted replies to notice before it goes on without them. */
const ABORT_SETTLE_MS = 2_000;

/** Turns of history the provider sees; the providers' prompt assembly trims it to the model's token budget. */
const HISTORY_TURNS = 10;

/** Everything a reply needs, read in one tenant transaction before the provider is called. */
interface ReplyContext {
  request: Omit<ReplyRequest, 'signal'>;
  scope: CacheScope;
  /** A first question without personal data: its answer may be served from, and stored in, the cache. */
  cacheable: boolean;
  cached: CachedAnswer | null;
  /** A curated answer of the pinned version that matches the question: the reply is its text. */
  curated: CuratedAnswerMatch | null;
  /**
   * Retrieval found a passage relevant enough to answer from (always so for a cache hit: only those are
   * cached). Drives the cues while streaming; the finished reply is judged again with its citations.
   */
  knowledgeFound: boolean;
  /** What the finished reply may say about people (handoff.offer.ts). */
  handoff: ReplyHandoffContext;
}

/** The numbers a finished reply is stored and billed with. */
interface ReplyMeasures {
  text: string;
  startedAt: number;
  firstTokenAt: number | undefined;
  /** The finished reply answered from the knowledge (isReplyGrounded, or a cache hit). */
  grounded: boolean;
  /** The reply offers a person (handoff.offer.ts): decided with the line that says so. */
  requestsContact: boolean;
}

/**
 * Produces assistant replies: PII redaction → answer cache or retrieval + provider stream → every
 * token and avatar cue numbered and on the bus at once (ReplyEventStream: seqs leased, events stored in
 * coarse batches) → the stored message with its usage, cost, roll-ups and the reply's remaining events in
 * one transaction. Jobs run in this process and are tracked, so shutdown can let in-flight replies finish.
 */
export class ReplyPipeline {
  private readonly inFlight = new Map<Promise<void>, AbortController>();
  private accepting = true;

  constructor(private readonly deps: ReplyPipelineDeps) {}

  get activeReplies(): number {
    return this.inFlight.size;
  }

  enqueue(job: ReplyJob): void {
    if (!this.accepting) throw DomainError.unavailable('The server is shutting down; send the message again in a moment.');
    const controller = new AbortController();
    const presence = this.abortWhenVisitorLeaves(job, controller);
    // Child of the sendMessage span; retrieval, provider and store spans nest under it (core/telemetry; a shared no-op when off).
    const span = startSpan('mascot.reply');
    span.setAttribute('mascot.conversation_id', job.conversationId);
    const running: Promise<void> = withSpan(span, () => this.run(job, controller.signal))
      .catch((error: unknown) => this.deps.logger.error({ err: error, conversationId: job.conversationId }, 'reply failed'))
      .finally(() => {
        span.end();
        this.inFlight.delete(running);
        void presence.then((stop) => stop());
      });
    this.inFlight.set(running, controller);
  }

  /**
   * Listens to the visitor's presence while a reply runs: when their subscription ends (on any
   * instance) and none starts again within the grace period, the reply is aborted, and with it the
   * provider's stream — nobody is left to read the tokens being paid for. Resolves to a stop function.
   */
  private async abortWhenVisitorLeaves(job: ReplyJob, controller: AbortController): Promise<() => void> {
    let subscription;
    try {
      subscription = await this.deps.bus.subscribe(subjects.conversationPresence(job.tenantId, job.conversationId));
    } catch (error) {
      this.deps.logger.warn({ err: error, conversationId: job.conversationId }, 'cannot follow visitor presence; the reply runs to its end');
      return () => {};
    }
    const graceMs = this.deps.visitorLeftGraceMs ?? DEFAULT_VISITOR_LEFT_GRACE_MS;
    let timer: NodeJS.Timeout | undefined;
    void (async () => {
      for await (const payload of subscription) {
        const event = visitorPresenceEventSchema.safeParse(payload);
        if (!event.success) continue;
        if (event.data.type === 'PresenceProbe') continue;
        clearTimeout(timer);
        if (event.data.type === 'VisitorLeft') {
          // Anyone still there (another tab, another instance) answers the probe and clears the timer.
          void this.deps.bus.publish(subjects.conversationPresence(job.tenantId, job.conversationId), { type: 'PresenceProbe' }).catch(() => undefined);
          timer = setTimeout(() => {
            this.deps.logger.info({ conversationId: job.conversationId }, 'the visitor left; aborting the reply');
            controller.abort(new Error('visitor left'));
          }, graceMs);
          timer.unref();
        }
      }
    })();
    return () => {
      clearTimeout(timer);
      subscription.unsubscribe();
    };
  }

  /** Stops taking jobs, waits up to `graceMs` for running replies, then aborts the rest. */
  async drain(graceMs: number): Promise<void> {
    this.accepting = false;
    if (this.inFlight.size === 0) return;
    this.deps.logger.info({ replies: this.inFlight.size }, 'waiting for in-flight replies');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
    const outcome = await Promise.race([Promise.allSettled([...this.inFlight.keys()]), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      for (const controller of this.inFlight.values()) controller.abort(new Error('shutdown'));
      // An aborted reply stops at its next token; one stuck in a database call cannot hear the abort,
      // so shutdown waits a bounded moment for it rather than forever.
      const settled = await Promise.race([
        Promise.allSettled([...this.inFlight.keys()]).then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), ABORT_SETTLE_MS).unref()),
      ]);
      if (!settled) this.deps.logger.warn({ replies: this.inFlight.size }, 'replies still running after abort; shutting down anyway');
    }
  }

  private async run(job: ReplyJob, signal: AbortSignal): Promise<void> {
    const em = this.deps.orm.em.fork();
    const messageId = randomUUID();
    const startedAt = performance.now();
    // Takes the reply's block of seqs on a connection of its own, while the context loads below: nothing
    // is written in front of the provider call, and the first events go out as soon as the lease is in.
    const replyEvents = this.deps.events.startReply(job.tenantId, job.conversationId, messageId);
    // Cues read the visitor's original words in process; nothing of them leaves it.
    const cues = new ReplyCues(messageId, job.question);
    let providerSpan: TraceSpan | undefined;

    try {
      // Announced before any work so the typing indicator and the avatar react at once.
      replyEvents.emit({ type: 'ReplyStarted', messageId });
      replyEvents.emit(cues.listening());
      const context = await this.loadContext(em, job);
      annotateActiveSpan('mascot.reply.source', context.cached ? 'cache' : context.curated ? 'curated' : 'provider');
      providerSpan = startSpan('mascot.provider');
      const stream = context.cached
        ? cachedReplyStream(context.cached)
        : context.curated
          ? curatedReplyStream(context.curated)
          : await this.deps.provider.streamReply({ ...context.request, signal });
      const grounding = () => ({ knowledgeFound: context.knowledgeFound, citations: stream.citations().length });
      let text = '';
      let firstTokenAt: number | undefined;
      for await (const delta of stream.tokens) {
        if (firstTokenAt === undefined) providerSpan.addEvent('first_token');
        firstTokenAt ??= performance.now();
        text += delta;
        replyEvents.emit({ type: 'ReplyDelta', messageId, delta });
        const speaking = cues.speakingOnce(text, grounding());
        if (speaking) replyEvents.emit(speaking);
      }
      providerSpan.setAttribute('mascot.provider', stream.provider);
      providerSpan.end();
      if (signal.aborted) throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'The reply was interrupted.');
      // Judged on the finished reply, not on retrieval scores alone: an answer that cites the knowledge
      // is the bot's to give, and must not offer a person or ask for the visitor's details.
      const grounded = context.cached !== null || context.curated !== null || isReplyGrounded(context.request.passages, stream.citations().length, stream.grounded?.());
      // What the reply says about people (an offer, or that one is on the way) and requestsContact: one decision.
      const handoff = replyHandoffLine(context.handoff, grounded, context.request.persona.tone);
      if (handoff.text) {
        text += handoff.text;
        replyEvents.emit({ type: 'ReplyDelta', messageId, delta: handoff.text });
      }
      // Outside any transaction: the stream's own lease or batch in flight finishes on its connection first.
      await replyEvents.seal();
      if (handoff.requestsContact) {
        // The visitor's next message may accept or decline it. A failure must not fail a reply already read.
        await recordHandoffOffer(em, job).catch((error: unknown) =>
          this.deps.logger.error({ err: error, conversationId: job.conversationId }, 'could not record the offer of a person'),
        );
      }
      await traced('mascot.reply.store', () => this.complete(em, job, messageId, context, stream, cues, replyEvents, {
        text, startedAt, firstTokenAt, grounded, requestsContact: handoff.requestsContact,
      }));
    } catch (error) {
      providerSpan?.fail(error);
      providerSpan?.end();
      failActiveSpan(error);
      await this.fail(job, messageId, replyEvents, error);
      if (!(error instanceof DomainError)) throw error;
    }
  }

  /**
   * Stores the reply with its usage and cost, adds it to the bot's daily roll-up and the tenant's
   * monthly spend, and logs the closing cue plus ReplyCompleted — all in one transaction, so money
   * and messages always add up and a reconnecting visitor sees the completion iff it was stored.
   */
  private async complete(
    em: EntityManager,
    job: ReplyJob,
    messageId: string,
    context: ReplyContext,
    stream: ReplyStream,
    cues: ReplyCues,
    replyEvents: ReplyEventStream,
    measures: ReplyMeasures,
  ): Promise<void> {
    const { tenantId, conversationId } = job;
    const cacheHit = context.cached !== null;
    const usage = cacheHit ? { inputTokens: 0, outputTokens: 0 } : stream.usage();
    const priced = cacheHit ? { costMicroUsd: 0, pricingVersion: CACHE_PROVIDER } : priceUsage(stream.provider, stream.model, usage);
    const latencyMs = Math.round(performance.now() - measures.startedAt);
    const timeToFirstTokenMs = measures.firstTokenAt === undefined ? null : Math.round(measures.firstTokenAt - measures.startedAt);
    const sources = stream.citations().map((c) => ({
      marker: c.marker, documentTitle: c.documentTitle, snippet: c.snippet, sectionPath: c.sectionPath, page: c.page,
      // A page of a website source is cited with its URL (the widget links to it).
      url: c.url ?? context.request.passages.find((p) => p.id === c.passageId)?.documentUrl ?? null,
    }));
    const finished = cues.finished(measures.text, { knowledgeFound: measures.grounded, citations: sources.length });

    const logged = await inTenant(em, tenantId, async (tx) => {
      // Counted when this transaction commits (DeferredCounters): no shared row is locked per reply.
      this.deps.usage.recordAiCost(tx, tenantId, priced.costMicroUsd);
      addReplyToDailyUsage(this.deps.counters, tx, tenantId, {
        botId: context.scope.botId, ...usage, costMicroUsd: priced.costMicroUsd, latencyMs, timeToFirstTokenMs, cacheHit,
        provider: stream.provider, model: stream.model,
      }, new Date());
      const message = tx.create(Message, {
        id: messageId,
        tenantId,
        conversationId,
        role: 'ASSISTANT',
        text: measures.text,
        sources,
        provider: stream.provider,
        model: stream.model,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        costMicroUsd: priced.costMicroUsd,
        pricingVersion: priced.pricingVersion,
        cacheHit,
        latencyMs,
        timeToFirstTokenMs,
        intent: cues.intent,
        sentiment: finished.sentiment,
        animation: finished.slot,
      });
      await tx.flush();
      // Only confident answers are cached: an unsure one must reach the handoff check again next time.
      // A curated answer is found again by one query; cached, it would outlive an edit of the entry in a rollback.
      if (context.cacheable && !cacheHit && !context.curated && measures.grounded && measures.text.trim()) {
        await this.deps.cache.store(tx, context.scope, context.request.question, {
          text: measures.text, sources, provider: stream.provider, model: stream.model,
        });
      }
      const completed = toReplyMessage(message);
      // The reply offers a person (handoff.offer.ts): the widget shows the offer.
      const { requestsContact } = measures;
      // The closing cue first: ReplyCompleted is always the last event of a reply, so clients can stop there.
      const closing: UnnumberedEvent[] = [finished, { type: 'ReplyCompleted', message: completed, requestsContact }];
      // Settled before a handoff: the closing events are numbered after the handoff's. Otherwise one update
      // of the conversation row: the lease's unused end back, the closing seqs, lastMessageAt.
      const logged = replyEvents.isFinished
        ? await tx.nativeUpdate(Conversation, { id: conversationId }, { lastMessageAt: new Date() })
            .then(() => this.deps.events.append(tx, tenantId, conversationId, closing))
        : await replyEvents.settle(tx, closing, { lastMessageAt: new Date() });
      // After the conversation row, as sendMessage does (its message, then the analytics rows the domain
      // event touches): the same lock order, so a visitor's next message and this reply's storing never deadlock.
      await this.deps.outbox.record(tx, tenantId, {
        type: 'reply.completed',
        data: {
          ...messageCreatedData(context.scope.botId, completed),
          sources: sources.map((s) => ({ marker: s.marker, documentTitle: s.documentTitle, page: s.page })),
          provider: stream.provider,
          model: stream.model,
          cacheHit,
          costMicroUsd: priced.costMicroUsd,
          timeToFirstTokenMs,
          // Whether the knowledge covered the question: the finished reply was grounded (see isReplyGrounded).
          knowledgeFound: measures.grounded,
          // Analytics count "unanswered" by retrieval (a gap in the knowledge), even when the reply cited a weak passage.
          retrievalConfident: context.knowledgeFound,
          bestRetrievalScore: context.request.passages.reduce<number | null>((best, p) => Math.max(best ?? p.score, p.score), null),
          questionMessageId: job.questionMessageId ?? null,
        },
      });
      return logged;
    });
    this.deps.metrics?.replyCompleted(
      { provider: cacheHit ? CACHE_PROVIDER : stream.provider },
      { firstToken: timeToFirstTokenMs === null ? null : timeToFirstTokenMs / 1000, total: latencyMs / 1000 },
    );
    if (replyEvents.isFinished) await this.deps.events.publish(tenantId, conversationId, logged);
    else await replyEvents.finish(logged);
    this.deps.logger.info(
      { conversationId, messageId, provider: stream.provider, model: stream.model, cacheHit, latencyMs, costMicroUsd: priced.costMicroUsd },
      'reply completed',
    );
  }

  /** Tells the visitor, through the log, that this reply will not come; no message was stored for it. */
  private async fail(job: ReplyJob, messageId: string, replyEvents: ReplyEventStream, error: unknown): Promise<void> {
    const domain = error instanceof DomainError ? error : null;
    const failed: UnnumberedEvent = {
      type: 'ReplyFailed',
      messageId,
      code: domain?.code ?? ErrorCode.INTERNAL_SERVER_ERROR,
      reason: domain?.message ?? 'The assistant could not answer. Please try again.',
    };
    try {
      if (!replyEvents.isFinished) {
        // Stores what streamed, closes the lease and ends the reply with ReplyFailed, numbered after all of it.
        const settled = await replyEvents
          .seal()
          .then(() => inTenant(this.deps.orm.em.fork(), job.tenantId, (tx) => replyEvents.settle(tx, [failed])))
          .catch((settleError: unknown) => {
            // The failure may be the stream's own (no lease, no database): fall back to the plain log.
            this.deps.logger.warn({ err: settleError, conversationId: job.conversationId, messageId }, 'could not settle a failed reply');
            replyEvents.close();
            return null;
          });
        if (settled) {
          await replyEvents.finish(settled);
          return;
        }
      }
      await this.deps.events.record(job.tenantId, job.conversationId, [failed]);
    } catch (logError) {
      this.deps.logger.error({ err: logError, conversationId: job.conversationId, messageId }, 'could not record a failed reply');
    }
  }

  private async loadContext(em: EntityManager, job: ReplyJob): Promise<ReplyContext> {
    return inTenant(em, job.tenantId, async (tx) => {
      const { conversation, botName } = await conversationWithBotName(tx, job.conversationId);
      const { version, bundle } = await pinnedVersionOf(tx, conversation, botName);
      // Chat turns only: handoff notices (SYSTEM) are neither the question nor history the model should see,
      // and one stored after the question would otherwise take its place as the newest message.
      const recent = (await tx.find(
        Message,
        { conversationId: conversation.id, ...CHAT_TURNS },
        { orderBy: { createdAt: 'desc' }, limit: HISTORY_TURNS + 1 },
      )).filter(isChatTurn);
      const { personality } = bundle;
      // Providers (and anything that logs a prompt) see placeholders; the stored messages keep the original.
      const redact = privacyOf(bundle).redactPii
        ? (text: string) => redactPii(text, phoneRegionsFor(personality.language))
        : (text: string) => ({ text, found: { email: 0, iban: 0, card: 0, phone: 0 } });
      const question = redact(job.question);
      // The newest message is the question itself.
      const history = recent.slice(1).reverse().map((m) => ({ role: m.role, text: redact(m.text).text }));
      const scope = { tenantId: job.tenantId, botId: conversation.botId, botVersionId: version.id };
      // Only a first question means the same thing in every conversation; personal data is never cached.
      const cacheable = history.length === 0 && !foundPii(question);
      const cached = cacheable ? await this.deps.cache.hit(tx, scope, question.text) : null;
      let curated: CuratedAnswerMatch | null = null;
      // A curated answer of the pinned version that matches is looked up with the question's vector (one
      // indexed query) and, when it matches, ends retrieval: no passage is needed (knowledge/README.md).
      const preempt = async (vector: QueryVector | null) => {
        if (!vector) return false;
        curated = await findCuratedAnswer(
          tx,
          { tenantId: job.tenantId, botId: conversation.botId, documentIds: version.knowledgeDocumentIds, searchConfig: searchConfigFor(personality.language), versionId: version.id },
          question.text,
          vector,
        );
        return curated !== null;
      };
      const passages = cached
        ? []
        : await traced('mascot.retrieval', () => retrievePassages(
            tx,
            {
              tenantId: job.tenantId,
              botId: conversation.botId,
              documentIds: version.knowledgeDocumentIds,
              language: personality.language,
              ...(this.deps.embeddings ? { embeddings: this.deps.embeddings } : {}),
              ...(this.deps.sideReads ? { sideReads: this.deps.sideReads } : {}),
            },
            question.text,
            { preempt },
          ));
      return {
        request: {
          question: question.text,
          history,
          passages,
          // The reply path adds the offer of a person itself (handoff.offer.ts); the provider never offers one.
          persona: { ...personaOf(bundle), offerHuman: false },
          chain: bundle.providers,
        },
        scope,
        cacheable,
        cached,
        curated,
        knowledgeFound: cached !== null || curated !== null || !isBotUnsure(passages),
        handoff: replyHandoffContextOf(conversation, personality.offerHuman, recent),
      };
    });
  }
}

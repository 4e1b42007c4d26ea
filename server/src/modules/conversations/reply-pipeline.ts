import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { ErrorCode } from '@mascot/contracts';
import { subjects, type ConversationEvent } from '@mascot/events';
import type { MessageBus } from '../../core/bus/index.ts';
import { inTenant } from '../../core/db/index.ts';
import { DomainError } from '../../core/errors/index.ts';
import type { Logger } from '../../core/logging/index.ts';
import type { AiProvider } from '../ai/index.ts';
import { Bot, BotVersion, readStoredBundle } from '../bots/index.ts';
import { retrievePassages } from '../knowledge/index.ts';
import { Conversation } from './conversation.entity.ts';
import { toReplyMessage } from './message-dto.ts';
import { Message } from './message.entity.ts';

export interface ReplyJob {
  tenantId: string;
  conversationId: string;
  question: string;
}

/** How long shutdown waits for aborted replies to notice before it goes on without them. */
const ABORT_SETTLE_MS = 2_000;

/** Turns of history the provider sees; token budgeting replaces this bound with the providers issue. */
const HISTORY_TURNS = 10;

type EventWithoutSeq = ConversationEvent extends infer E ? (E extends ConversationEvent ? Omit<E, 'seq'> : never) : never;

/**
 * Produces assistant replies: retrieval → provider stream → every token on the bus → stored message.
 * Jobs run in this process and are tracked, so shutdown can let in-flight replies finish.
 */
export class ReplyPipeline {
  private readonly inFlight = new Map<Promise<void>, AbortController>();
  private accepting = true;

  constructor(
    private readonly orm: MikroORM,
    private readonly bus: MessageBus,
    private readonly provider: AiProvider,
    private readonly logger: Logger,
  ) {}

  get activeReplies(): number {
    return this.inFlight.size;
  }

  enqueue(job: ReplyJob): void {
    if (!this.accepting) throw DomainError.unavailable('The server is shutting down; send the message again in a moment.');
    const controller = new AbortController();
    const running: Promise<void> = this.run(job, controller.signal)
      .catch((error: unknown) => this.logger.error({ err: error, conversationId: job.conversationId }, 'reply failed'))
      .finally(() => this.inFlight.delete(running));
    this.inFlight.set(running, controller);
  }

  /** Stops taking jobs, waits up to `graceMs` for running replies, then aborts the rest. */
  async drain(graceMs: number): Promise<void> {
    this.accepting = false;
    if (this.inFlight.size === 0) return;
    this.logger.info({ replies: this.inFlight.size }, 'waiting for in-flight replies');
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
      if (!settled) this.logger.warn({ replies: this.inFlight.size }, 'replies still running after abort; shutting down anyway');
    }
  }

  private async run(job: ReplyJob, signal: AbortSignal): Promise<void> {
    const em = this.orm.em.fork();
    const subject = subjects.conversationReply(job.tenantId, job.conversationId);
    let seq = 0;
    const publish = (event: EventWithoutSeq) => this.bus.publish(subject, { ...event, seq: ++seq });
    const messageId = randomUUID();
    const startedAt = performance.now();

    try {
      // Announced before any work so the typing indicator (and later the avatar) reacts at once.
      await publish({ type: 'ReplyStarted', messageId });
      const context = await this.loadContext(em, job);
      const stream = await this.provider.streamReply({ ...context, question: job.question, signal });
      let text = '';
      let firstTokenAt: number | undefined;
      for await (const delta of stream.tokens) {
        firstTokenAt ??= performance.now();
        text += delta;
        await publish({ type: 'ReplyDelta', messageId, delta });
      }
      if (signal.aborted) throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'The reply was interrupted.');

      const message = await inTenant(em, job.tenantId, async (tx) => {
        const stored = tx.create(Message, {
          id: messageId,
          tenantId: job.tenantId,
          conversationId: job.conversationId,
          role: 'ASSISTANT',
          text,
          sources: stream.citations().map((c) => ({
            marker: c.marker, documentTitle: c.documentTitle, snippet: c.snippet, sectionPath: c.sectionPath, page: c.page,
          })),
          provider: stream.provider,
          latencyMs: Math.round(performance.now() - startedAt),
          timeToFirstTokenMs: firstTokenAt === undefined ? null : Math.round(firstTokenAt - startedAt),
        });
        await tx.nativeUpdate(Conversation, { id: job.conversationId }, { lastMessageAt: new Date() });
        await tx.flush();
        return stored;
      });
      await publish({ type: 'ReplyCompleted', message: toReplyMessage(message) });
      this.logger.info(
        { conversationId: job.conversationId, messageId, provider: stream.provider, latencyMs: message.latencyMs },
        'reply completed',
      );
    } catch (error) {
      const domain = error instanceof DomainError ? error : null;
      await publish({
        type: 'ReplyFailed',
        messageId,
        code: domain?.code ?? ErrorCode.INTERNAL_SERVER_ERROR,
        reason: domain?.message ?? 'The assistant could not answer. Please try again.',
      });
      if (!domain) throw error;
    }
  }

  private async loadContext(em: EntityManager, job: ReplyJob) {
    return inTenant(em, job.tenantId, async (tx) => {
      const conversation = await tx.findOneOrFail(Conversation, { id: job.conversationId });
      const bot = await tx.findOneOrFail(Bot, { id: conversation.botId }, { fields: ['name'] });
      const version = await tx.findOneOrFail(BotVersion, { id: conversation.botVersionId });
      const recent = await tx.find(
        Message,
        { conversationId: conversation.id },
        { orderBy: { createdAt: 'desc' }, limit: HISTORY_TURNS + 1 },
      );
      const bundle = readStoredBundle(version.config, bot.name);
      const { personality } = bundle;
      const passages = await retrievePassages(
        tx,
        {
          tenantId: job.tenantId,
          botId: conversation.botId,
          documentIds: version.knowledgeDocumentIds,
          language: personality.language,
        },
        job.question,
      );
      return {
        // The newest message is the question itself.
        history: recent.slice(1).reverse().map((m) => ({ role: m.role, text: m.text })),
        passages,
        persona: {
          botName: bundle.name,
          tone: personality.tone,
          systemPrompt: personality.systemPrompt,
          unknownAnswer: personality.unknownAnswer,
          offerHuman: personality.offerHuman !== 'never',
        },
        chain: bundle.providers,
      };
    });
  }
}

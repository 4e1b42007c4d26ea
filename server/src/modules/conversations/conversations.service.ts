import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { subjects, visitorPresenceEventSchema, type ConversationEvent, type ReplyMessage, type VisitorPresenceEvent } from '@mascot/events';
import type { Principal, VisitorPrincipal } from '../../core/auth/index.ts';
import type { MessageBus } from '../../core/bus/index.ts';
import { inTenant } from '../../core/db/index.ts';
import type { DomainEventOutbox } from '../../core/events/index.ts';
import { DomainError, parseId, parseInput } from '../../core/errors/index.ts';
import { whenIterationEnds } from '../../core/graphql/index.ts';
import type { Logger } from '../../core/logging/index.ts';
import type { BotsService } from '../bots/index.ts';
import type { UsageService } from '../tenants/index.ts';
import type { TokenService } from '../identity/index.ts';
import { Conversation } from './conversation.entity.ts';
import { messageCreatedData, toReplyMessage } from './message-dto.ts';
import { Message } from './message.entity.ts';
import type { ReplyPipeline } from './reply-pipeline.ts';
import type { HandoffService } from './handoff.service.ts';
import { sendMessageSchema } from './message-input.ts';
import type { ConversationEventLog, SubscribedEvent } from './conversation-event-log.ts';
import type { PublicBot } from './public-bot.ts';
import type { WidgetEmbedService, WidgetSessionRequest } from './widget-embed.service.ts';

const afterSeqSchema = z.object({
  afterSeq: z.number().int('must be a whole number').min(0, 'must not be negative').nullable(),
});

export interface VisitorSessionResult {
  conversationId: string;
  visitorToken: string;
  bot: PublicBot;
}

export class ConversationsService {
  constructor(
    private readonly bots: BotsService,
    private readonly tokens: TokenService,
    private readonly replies: ReplyPipeline,
    private readonly bus: MessageBus,
    private readonly logger: Logger,
    private readonly usage: UsageService,
    private readonly handoff: HandoffService,
    private readonly eventLog: ConversationEventLog,
    private readonly outbox: DomainEventOutbox,
    private readonly embeds: WidgetEmbedService,
  ) {}

  /**
   * Starts a visitor conversation with a published bot; no account needed. The host page must be
   * on the bot's allowlist (embed-origin.ts); the visitor gets their sticky A/B variant, and the
   * conversation records visitor, variant and host page for analytics.
   */
  async start(em: EntityManager, embedId: string, request: WidgetSessionRequest = {}): Promise<VisitorSessionResult> {
    const { live, bot, visitorId, hostOrigin } = await this.embeds.admitSession(em, embedId, request);
    const conversation = await inTenant(em, live.tenantId, async (tx) => {
      const created = tx.create(Conversation, {
        id: randomUUID(),
        tenantId: live.tenantId,
        botId: live.botId,
        botVersionId: live.version.id,
        visitorId,
        variantId: bot.variantId,
        hostOrigin,
      });
      await tx.flush();
      await this.outbox.record(tx, live.tenantId, {
        type: 'conversation.started',
        data: { conversationId: created.id, botId: live.botId, botVersion: live.version.number },
      });
      return created;
    });
    const visitorToken = await this.tokens.issueVisitorToken({
      tenantId: live.tenantId,
      botId: live.botId,
      conversationId: conversation.id,
    });
    return { conversationId: conversation.id, visitorToken, bot };
  }

  /**
   * Stores the visitor's message and enqueues the assistant's reply, which streams on the bus. While
   * the conversation is with a person (or this message asks for one, or answers the bot's offer of one),
   * the bot stays silent and the message goes to the agents instead; while a person is on the way the
   * bot keeps answering (handoff.service.ts).
   */
  async send(em: EntityManager, visitor: VisitorPrincipal, conversationId: string, text: string, clientIp?: string): Promise<ReplyMessage> {
    const { tenantId, id } = this.authorize(visitor, conversationId);
    const { text: body } = parseInput(sendMessageSchema, { text });
    const { message, route } = await inTenant(em, tenantId, async (tx) => {
      const conversation = await tx.findOne(Conversation, { id });
      if (!conversation) throw DomainError.notFound('Conversation');
      const needsAiBudget = conversation.status !== 'WITH_AGENT';
      const stored = tx.create(Message, {
        id: randomUUID(), tenantId, conversationId: id, role: 'VISITOR', text: body, sources: [],
        provider: null, latencyMs: null, timeToFirstTokenMs: null,
      });
      conversation.lastMessageAt = new Date();
      await tx.flush();
      await this.outbox.record(tx, tenantId, { type: 'message.created', data: messageCreatedData(conversation.botId, toReplyMessage(stored)) });
      const route = await this.handoff.routeVisitorMessage(tx, conversation, stored);
      // A refused message (either limit) rolls this transaction back: nothing is left behind and the AI
      // provider is never called for it. A message to a person needs no AI budget. The plan's visitor
      // budgets (per visitor, address, conversation, embed) come first: RATE_LIMITED before the month counts.
      // Last in the transaction on purpose: the month's counter is one row per tenant, locked from its
      // update until commit, so every visitor of a busy site queues on it for as long as the rest of this
      // transaction would take (issue 13: hundreds of visitors writing at once).
      const sender = { botId: conversation.botId, conversationId: id, visitorId: conversation.visitorId ?? null, clientIp };
      await this.usage.admitMessage(tx, tenantId, { needsAiBudget, sender });
      return { message: stored, route };
    });
    await route.announce(em);
    if (route.botReplies) this.replies.enqueue({ tenantId, conversationId: id, question: body, questionMessageId: message.id });
    return toReplyMessage(message);
  }

  /**
   * The events of one conversation: with `afterSeq`, first what was logged after it (a reconnect's
   * replay), then live. The subject is built from the principal's tenant, so a subscriber can only ever
   * receive its own tenant's events; each payload is validated again.
   */
  events(
    em: EntityManager,
    principal: Principal,
    conversationId: string,
    afterSeq: number | null = null,
  ): AsyncIterableIterator<ConversationEvent | SubscribedEvent> {
    const stop = new AbortController();
    // graphql-ws ends a subscription with return(), which a generator only honours after its pending
    // next() — for an idle conversation, never. Stopping first lets the generator finish at once.
    return whenIterationEnds(this.streamEvents(em, principal, conversationId, afterSeq, stop.signal), () => stop.abort());
  }

  private async *streamEvents(
    em: EntityManager,
    principal: Principal,
    conversationId: string,
    afterSeq: number | null,
    stop: AbortSignal,
  ): AsyncGenerator<ConversationEvent | SubscribedEvent> {
    const { tenantId, id } = this.authorize(principal, conversationId);
    const { afterSeq: after } = parseInput(afterSeqSchema, { afterSeq });
    // A visitor's token names its conversation, and the log's first read answers NOT_FOUND if it is gone;
    // a member's id is only a guess until looked up, so it is checked before any presence is announced.
    if (principal.kind !== 'visitor' && !(await inTenant(em, tenantId, (tx) => tx.count(Conversation, { id })))) {
      throw DomainError.notFound('Conversation');
    }
    // The visitor's own presence decides whether a reply is still wanted; members watching do not count.
    const presence = principal.kind === 'visitor' ? subjects.conversationPresence(tenantId, id) : null;
    const probes = presence ? await this.bus.subscribe(presence) : null;
    if (probes) {
      void (async () => {
        for await (const payload of probes) {
          if (visitorPresenceEventSchema.safeParse(payload).data?.type === 'PresenceProbe') await this.announcePresence(presence!, 'VisitorJoined');
        }
      })();
      await this.announcePresence(presence!, 'VisitorJoined');
    }
    try {
      yield* this.eventLog.follow(em, tenantId, id, after, stop);
    } finally {
      if (probes) {
        // Deaf to probes first, so this subscription never answers for itself on its way out.
        probes.unsubscribe();
        await this.announcePresence(presence!, 'VisitorLeft');
      }
    }
  }

  private async announcePresence(subject: string, type: VisitorPresenceEvent['type']): Promise<void> {
    try {
      await this.bus.publish(subject, { type } satisfies VisitorPresenceEvent);
    } catch (error) {
      // Presence only saves provider tokens; a lost notice must not break the visitor's stream.
      this.logger.warn({ err: error, type }, 'could not announce visitor presence');
    }
  }

  /** Visitors may touch only their own conversation; members only their tenant's (checked by lookup). */
  private authorize(principal: Principal, conversationId: string): { tenantId: string; id: string } {
    const id = parseId(conversationId, 'conversationId');
    if (principal.kind === 'anonymous') throw DomainError.unauthenticated('A visitor token is required.');
    if (principal.kind === 'visitor' && principal.conversationId !== id) throw DomainError.notFound('Conversation');
    return { tenantId: principal.tenantId, id };
  }
}

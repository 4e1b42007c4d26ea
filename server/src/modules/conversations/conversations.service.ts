import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { subjects, conversationEventSchema, type ConversationEvent, type ReplyMessage } from '@mascot/events';
import type { Principal, VisitorPrincipal } from '../../core/auth/index.ts';
import type { MessageBus } from '../../core/bus/index.ts';
import { inTenant } from '../../core/db/index.ts';
import { DomainError, parseId, parseInput } from '../../core/errors/index.ts';
import type { Logger } from '../../core/logging/index.ts';
import type { BotsService } from '../bots/index.ts';
import type { UsageService } from '../tenants/index.ts';
import type { TokenService } from '../identity/index.ts';
import { Conversation } from './conversation.entity.ts';
import { toReplyMessage } from './message-dto.ts';
import { Message } from './message.entity.ts';
import type { ReplyPipeline } from './reply-pipeline.ts';

const sendMessageSchema = z.object({
  text: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'),
});

export interface VisitorSessionResult {
  conversationId: string;
  visitorToken: string;
  bot: { name: string; greeting: string };
}

/** Sent first on every conversationEvents subscription: from here on, no reply event is missed. */
export interface SubscribedEvent {
  type: 'ConversationSubscribed';
  seq: 0;
  conversationId: string;
}

export class ConversationsService {
  constructor(
    private readonly bots: BotsService,
    private readonly tokens: TokenService,
    private readonly replies: ReplyPipeline,
    private readonly bus: MessageBus,
    private readonly logger: Logger,
    private readonly usage: UsageService,
  ) {}

  /** Starts a visitor conversation with a published bot; no account needed. */
  async start(em: EntityManager, embedId: string): Promise<VisitorSessionResult> {
    const live = await this.bots.findLiveByEmbedId(em, embedId);
    const conversation = await inTenant(em, live.tenantId, async (tx) => {
      const created = tx.create(Conversation, {
        id: randomUUID(),
        tenantId: live.tenantId,
        botId: live.botId,
        botVersionId: live.version.id,
      });
      await tx.flush();
      return created;
    });
    const visitorToken = await this.tokens.issueVisitorToken({
      tenantId: live.tenantId,
      botId: live.botId,
      conversationId: conversation.id,
    });
    return {
      conversationId: conversation.id,
      visitorToken,
      bot: { name: live.bundle.name, greeting: live.bundle.personality.greeting },
    };
  }

  /** Stores the visitor's message and enqueues the assistant's reply, which streams on the bus. */
  async send(em: EntityManager, visitor: VisitorPrincipal, conversationId: string, text: string): Promise<ReplyMessage> {
    const { tenantId, id } = this.authorize(visitor, conversationId);
    const { text: body } = parseInput(sendMessageSchema, { text });
    const message = await inTenant(em, tenantId, async (tx) => {
      const conversation = await tx.findOne(Conversation, { id });
      if (!conversation) throw DomainError.notFound('Conversation');
      // Both limits are checked before the message is stored, so a refused message leaves nothing behind
      // and the AI provider is never called for it.
      await this.usage.assertAiBudget(tx, tenantId);
      await this.usage.countMessage(tx, tenantId);
      const stored = tx.create(Message, {
        id: randomUUID(), tenantId, conversationId: id, role: 'VISITOR', text: body, sources: [],
        provider: null, latencyMs: null, timeToFirstTokenMs: null,
      });
      conversation.lastMessageAt = new Date();
      await tx.flush();
      return stored;
    });
    this.replies.enqueue({ tenantId, conversationId: id, question: body });
    return toReplyMessage(message);
  }

  /**
   * The live events of one conversation. The subject is built from the principal's tenant, so a
   * subscriber can only ever receive its own tenant's events; each payload is validated again.
   */
  async *events(em: EntityManager, principal: Principal, conversationId: string): AsyncGenerator<ConversationEvent | SubscribedEvent> {
    const { tenantId, id } = this.authorize(principal, conversationId);
    const exists = await inTenant(em, tenantId, (tx) => tx.count(Conversation, { id }));
    if (!exists) throw DomainError.notFound('Conversation');
    const subscription = await this.bus.subscribe(subjects.conversationReply(tenantId, id));
    try {
      yield { type: 'ConversationSubscribed', seq: 0, conversationId: id };
      for await (const payload of subscription) {
        const event = conversationEventSchema.safeParse(payload);
        if (event.success) yield event.data;
        else this.logger.warn({ conversationId: id, issues: event.error.issues }, 'dropped a malformed reply event');
      }
    } finally {
      subscription.unsubscribe();
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

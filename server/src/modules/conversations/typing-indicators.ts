import type { EntityManager } from '@mikro-orm/postgresql';
import { subjects } from '@mascot/events';
import { z } from 'zod';
import { requireActor, type Principal, type TenantActor, type VisitorPrincipal } from '../../core/auth/index.ts';
import type { MessageBus } from '../../core/bus/index.ts';
import { inTenant } from '../../core/db/index.ts';
import { DomainError, parseId } from '../../core/errors/index.ts';
import { whenIterationEnds } from '../../core/graphql/index.ts';
import { Conversation } from './conversation.entity.ts';
import { holds } from './handoff-agent.ts';
import { HandoffError } from './handoff.errors.ts';

/** One side started or stopped typing. */
export interface TypingSignal {
  who: 'VISITOR' | 'AGENT';
  /** The agent's name as the visitor sees it; null for the visitor. */
  name: string | null;
  typing: boolean;
  at: string;
}

const typingSignalSchema = z.object({
  who: z.enum(['VISITOR', 'AGENT']),
  name: z.string().nullable(),
  typing: z.boolean(),
  at: z.string(),
});

/** The same state again is forwarded at most this often: a typing client repeats "typing" while keys are pressed. */
export const REPEAT_INTERVAL_MS = 1500;
/** A change (typing ↔ stopped) is forwarded at most this often. */
export const CHANGE_INTERVAL_MS = 250;
/** Senders remembered for throttling; the oldest are forgotten past this many. */
const MAX_SENDERS = 10_000;

/**
 * Typing indicators between the visitor and the agent holding a conversation (issue 17). Ephemeral by design:
 * published on the conversation's own `typing` subject, never written to the conversation's event log, so the
 * log's gapless seqs (which the widget resumes by) stay untouched and nothing is stored. Throttled in memory
 * per sender and conversation: a client sending on every key press costs one bus message per 1.5 s, and a
 * signal dropped by the throttle answers `false` instead of an error.
 */
export class TypingIndicators {
  private readonly lastSent = new Map<string, { at: number; typing: boolean }>();

  constructor(
    private readonly bus: MessageBus,
    private readonly now: () => number = Date.now,
  ) {}

  /** The visitor types in their own conversation (any other is NOT_FOUND). */
  fromVisitor(visitor: VisitorPrincipal, conversationId: string, typing: boolean): Promise<boolean> {
    const id = parseId(conversationId, 'conversationId');
    if (visitor.conversationId !== id) throw DomainError.notFound('Conversation');
    return this.send(visitor.tenantId, id, `visitor:${id}`, { who: 'VISITOR', name: null, typing });
  }

  /** The agent holding the conversation types (anyone else: CONFLICT, as for sending a message). */
  async fromAgent(em: EntityManager, agent: TenantActor, conversationId: string, typing: boolean): Promise<boolean> {
    const id = parseId(conversationId, 'conversationId');
    const conversation = await inTenant(em, agent.tenantId, (tx) => tx.findOne(Conversation, { id }));
    if (!conversation) throw DomainError.notFound('Conversation');
    if (conversation.status !== 'WITH_AGENT') throw HandoffError.notTakenOver();
    if (!holds(conversation, agent)) throw HandoffError.takenByAnotherAgent(conversation.agentName ?? null);
    const sender = agent.kind === 'user' ? agent.userId : agent.keyId;
    return this.send(agent.tenantId, id, `agent:${sender}:${id}`, { who: 'AGENT', name: conversation.agentName ?? null, typing });
  }

  /**
   * The other side's signals, live: a visitor hears the agent, members (conversations:read) hear the visitor.
   * Another tenant's conversation, or another visitor's, is NOT_FOUND.
   */
  async follow(em: EntityManager, principal: Principal, conversationId: string): Promise<AsyncIterableIterator<TypingSignal>> {
    const id = parseId(conversationId, 'conversationId');
    let tenantId: string;
    let hears: TypingSignal['who'];
    if (principal.kind === 'visitor') {
      if (principal.conversationId !== id) throw DomainError.notFound('Conversation');
      tenantId = principal.tenantId;
      hears = 'AGENT';
    } else {
      tenantId = requireActor(principal, 'conversations:read').tenantId;
      if ((await inTenant(em, tenantId, (tx) => tx.count(Conversation, { id }))) === 0) throw DomainError.notFound('Conversation');
      hears = 'VISITOR';
    }
    const subscription = await this.bus.subscribe(subjects.conversationTyping(tenantId, id));
    async function* signals(): AsyncGenerator<TypingSignal> {
      try {
        for await (const payload of subscription) {
          const signal = typingSignalSchema.safeParse(payload);
          if (signal.success && signal.data.who === hears) yield signal.data;
        }
      } finally {
        subscription.unsubscribe();
      }
    }
    return whenIterationEnds(signals(), () => subscription.unsubscribe());
  }

  private async send(tenantId: string, conversationId: string, sender: string, signal: Omit<TypingSignal, 'at'>): Promise<boolean> {
    const now = this.now();
    const last = this.lastSent.get(sender);
    if (last && now - last.at < (last.typing === signal.typing ? REPEAT_INTERVAL_MS : CHANGE_INTERVAL_MS)) return false;
    this.lastSent.delete(sender);
    this.lastSent.set(sender, { at: now, typing: signal.typing });
    // A Map iterates in insertion order, and senders are re-inserted on every signal: the first is the stalest.
    if (this.lastSent.size > MAX_SENDERS) this.lastSent.delete(this.lastSent.keys().next().value!);
    await this.bus.publish(subjects.conversationTyping(tenantId, conversationId), { ...signal, at: new Date(now).toISOString() });
    return true;
  }
}

import { randomUUID } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { OfferHumanMode } from '@mascot/bot-bundle';
import {
  handoffQueueEventSchema,
  subjects,
  type ConversationEvent,
  type ConversationStatus,
  type HandoffQueueEvent,
  type HandoffReason,
  type ReplyMessage,
} from '@mascot/events';
import type { TenantActor, UserPrincipal } from '../../core/auth/index.ts';
import type { MessageBus } from '../../core/bus/index.ts';
import { inTenant } from '../../core/db/index.ts';
import { whenIterationEnds } from '../../core/graphql/index.ts';
import type { DomainEventOutbox } from '../../core/events/index.ts';
import { messageCreatedData } from './message-dto.ts';
import { DomainError, parseId, parseInput } from '../../core/errors/index.ts';
import type { Logger } from '../../core/logging/index.ts';
import { User } from '../identity/index.ts';
import { Conversation } from './conversation.entity.ts';
import type { ConversationEventLog, UnnumberedEvent } from './conversation-event-log.ts';
import { sendMessageSchema } from './conversations.service.ts';
import { HandoffError } from './handoff.errors.ts';
import { asksForPerson, handsOverOnRequest, handsOverWhenUnsure } from './handoff.policy.ts';
import type { LeadsService } from './lead.service.ts';
import { toReplyMessage } from './message-dto.ts';
import { Message } from './message.entity.ts';
import { pinnedVersionOf } from './pinned-version.ts';

/** What agents see of a conversation in (or around) handoff. */
export interface HandoffTicket {
  id: string;
  botId: string;
  status: ConversationStatus;
  reason: HandoffReason | null;
  waitingSince: string | null;
  agentUserId: string | null;
  agentName: string | null;
}

/** One change of the tenant's handoff queue, as the agents' subscription yields it. */
export interface HandoffQueueChange {
  change: HandoffQueueEvent['change'];
  conversation: HandoffTicket;
  visitorMessage: ReplyMessage | null;
}

/** What an agent gets on taking a conversation over: the conversation and what was said so far. */
export interface TakenOverConversation {
  conversation: HandoffTicket;
  history: ReplyMessage[];
}

/** How a visitor message is handled once stored: whether the bot answers it, and what to announce after commit. */
export interface VisitorMessageRoute {
  botReplies: boolean;
  announce(): Promise<void>;
}

/** Where handoff changes are announced: the visitor's conversation stream and the tenant's agents. */
export interface HandoffChannels {
  events: ConversationEventLog;
  bus: MessageBus;
  logger: Logger;
  /** Domain events for webhooks (handoff requested, agent messages), recorded in the same transaction. */
  outbox: DomainEventOutbox;
}

/** Changes committed in one transaction, to be published after the commit. */
interface Announcement {
  tenantId: string;
  conversationId: string;
  events: ConversationEvent[];
  queue: HandoffQueueEvent | null;
}

/** Agents see at most this many waiting conversations when their subscription starts. */
const QUEUE_SNAPSHOT_LIMIT = 200;
/** Messages an agent gets with a conversation they take over. */
const TAKEOVER_HISTORY = 50;

const displayNameSchema = z.object({
  displayName: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(80, 'must be at most 80 characters')
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')
    .nullable()
    .optional(),
});

function toTicket(conversation: Conversation): HandoffTicket {
  return {
    id: conversation.id,
    botId: conversation.botId,
    status: conversation.status,
    reason: conversation.handoffReason ?? null,
    waitingSince: conversation.handoffRequestedAt?.toISOString() ?? null,
    agentUserId: conversation.agentUserId ?? null,
    agentName: conversation.agentName ?? null,
  };
}

function queueEvent(change: HandoffQueueEvent['change'], ticket: HandoffTicket, visitorMessage: ReplyMessage | null): HandoffQueueEvent {
  return handoffQueueEventSchema.parse({
    type: 'HandoffQueueChanged',
    change,
    conversationId: ticket.id,
    botId: ticket.botId,
    status: ticket.status,
    reason: ticket.reason,
    waitingSince: ticket.waitingSince,
    agentUserId: ticket.agentUserId,
    agentName: ticket.agentName,
    visitorMessage,
  });
}

function toQueueChange(event: HandoffQueueEvent): HandoffQueueChange {
  const { change, conversationId: id, botId, status, reason, waitingSince, agentUserId, agentName, visitorMessage } = event;
  return { change, conversation: { id, botId, status, reason, waitingSince, agentUserId, agentName }, visitorMessage };
}

function statusEvent(ticket: HandoffTicket, agentName: string | null): UnnumberedEvent {
  return { type: 'HandoffStatusChanged', status: ticket.status, agentName };
}

/** "ada.lovelace@example.com" → "Ada": what visitors see when an agent gives no display name. */
function nameFromEmail(email: string): string {
  const first = email.split('@')[0]?.split(/[._+-]/)[0] ?? '';
  return first ? first.charAt(0).toUpperCase() + first.slice(1, 80) : 'Support';
}

async function offerHumanModeOf(tx: EntityManager, conversation: Conversation): Promise<{ mode: OfferHumanMode; language: string }> {
  const { personality } = (await pinnedVersionOf(tx, conversation)).bundle;
  return { mode: personality.offerHuman, language: personality.language };
}

/**
 * Moves a conversation answered by the bot into the agents' queue. The update is conditional on the
 * status, so a conversation already waiting or taken over is left alone (null).
 */
async function enterQueue(
  tx: EntityManager,
  channels: HandoffChannels,
  conversation: Conversation,
  reason: HandoffReason,
  visitorMessage: ReplyMessage | null,
): Promise<Announcement | null> {
  const waitingSince = new Date();
  const moved = await tx.nativeUpdate(
    Conversation,
    { id: conversation.id, status: 'BOT' },
    { status: 'WAITING_FOR_AGENT', handoffReason: reason, handoffRequestedAt: waitingSince },
  );
  if (moved === 0) return null;
  const ticket: HandoffTicket = {
    ...toTicket(conversation), status: 'WAITING_FOR_AGENT', reason, waitingSince: waitingSince.toISOString(), agentUserId: null, agentName: null,
  };
  const events = await channels.events.append(tx, conversation.tenantId, conversation.id, [statusEvent(ticket, null)]);
  await channels.outbox.record(tx, conversation.tenantId, {
    type: 'handoff.requested',
    data: { conversationId: conversation.id, botId: conversation.botId, reason },
  });
  return { tenantId: conversation.tenantId, conversationId: conversation.id, events, queue: queueEvent('WAITING', ticket, visitorMessage) };
}

/** Publishes committed changes. They are stored already, so a bus failure is logged, not thrown. */
async function announce(channels: HandoffChannels, announcement: Announcement | null): Promise<void> {
  if (!announcement) return;
  const { tenantId, conversationId } = announcement;
  try {
    await channels.events.publish(tenantId, conversationId, announcement.events);
    if (announcement.queue) await channels.bus.publish(subjects.handoffQueue(tenantId), announcement.queue);
  } catch (error) {
    channels.logger.warn({ err: error, conversationId }, 'could not announce a handoff change; the visitor catches up on replay');
  }
}

/**
 * The reply pipeline's hook after an ungrounded reply (isReplyGrounded): when the bot's `offerHuman`
 * allows it, the conversation starts waiting for a person, once the bot's reply (its unknown-answer
 * line with the offer of a human) has streamed and before it completes. Runs in its own transaction.
 */
export async function handOverWhenUnsure(
  em: EntityManager,
  channels: HandoffChannels,
  input: { tenantId: string; conversationId: string },
): Promise<boolean> {
  const announcement = await inTenant(em, input.tenantId, async (tx) => {
    // Read afresh: the caller's EntityManager may hold the conversation as it was before this reply.
    const conversation = await tx.findOne(Conversation, { id: input.conversationId }, { refresh: true });
    if (conversation?.status !== 'BOT') return null;
    if (!handsOverWhenUnsure((await offerHumanModeOf(tx, conversation)).mode)) return null;
    return enterQueue(tx, channels, conversation, 'BOT_UNSURE', null);
  });
  await announce(channels, announcement);
  return announcement !== null;
}

/**
 * Human handoff: the conversation states BOT → WAITING_FOR_AGENT → WITH_AGENT → BOT, the agents'
 * queue, and agents replying as themselves. Every change is stored with its visitor event in one
 * transaction and published after the commit.
 */
export class HandoffService {
  constructor(
    private readonly channels: HandoffChannels,
    private readonly leads: LeadsService,
  ) {}

  /**
   * Decides, inside the transaction that stored a visitor message, who answers it: the bot, or (while
   * people handle the conversation, or when the visitor asks for one) nobody automatically; the
   * message then goes to the agents. Captures a lead from it either way.
   */
  async routeVisitorMessage(tx: EntityManager, stored: Conversation, message: Message): Promise<VisitorMessageRoute> {
    // Read again under a row lock: an agent taking over meanwhile must not leave the bot answering too.
    const conversation = await this.find(tx, stored.id, true);
    const { mode, language } = await offerHumanModeOf(tx, conversation);
    const lead = await this.leads.captureFrom(tx, {
      tenantId: conversation.tenantId, botId: conversation.botId, conversationId: conversation.id,
      messageId: message.id, text: message.text, language,
    });
    const posted = toReplyMessage(message);
    let announcement: Announcement | null = null;
    let botReplies = false;
    if (conversation.status === 'BOT') {
      if (asksForPerson(message.text) && handsOverOnRequest(mode)) {
        announcement = await enterQueue(tx, this.channels, conversation, 'VISITOR_REQUEST', posted);
      } else {
        botReplies = true;
      }
    } else {
      // People handle the conversation: the message goes to the agent on the conversation's stream.
      const events = await this.channels.events.append(tx, conversation.tenantId, conversation.id, [{ type: 'MessagePosted', message: posted }]);
      announcement = {
        tenantId: conversation.tenantId, conversationId: conversation.id, events,
        queue: queueEvent('VISITOR_MESSAGE', toTicket(conversation), posted),
      };
    }
    return {
      botReplies,
      announce: async () => {
        await announce(this.channels, announcement);
        if (lead) await this.leads.announce(lead);
      },
    };
  }

  /**
   * Takes a conversation over for `agent`, whether it waits for a person or is still with the bot.
   * Of two agents racing, the conditional update lets exactly one win; the other gets CONFLICT
   * (TAKEN_BY_ANOTHER_AGENT). Taking over one's own conversation again changes nothing.
   */
  async takeOver(em: EntityManager, agent: UserPrincipal, conversationId: string, displayName?: string | null): Promise<TakenOverConversation> {
    const id = parseId(conversationId, 'conversationId');
    const input = parseInput(displayNameSchema, { displayName });
    const { result, announcement } = await inTenant(em, agent.tenantId, async (tx) => {
      const conversation = await this.find(tx, id);
      if (conversation.status === 'WITH_AGENT' && conversation.agentUserId !== agent.userId) {
        throw HandoffError.takenByAnotherAgent(conversation.agentName ?? null);
      }
      let ticket = toTicket(conversation);
      let change: Announcement | null = null;
      if (conversation.status !== 'WITH_AGENT') {
        const user = await tx.findOneOrFail(User, { id: agent.userId }, { fields: ['email'] });
        const agentName = input.displayName ?? nameFromEmail(user.email);
        const reason = conversation.handoffReason ?? 'AGENT_INITIATED';
        const waitingSince = conversation.handoffRequestedAt ?? new Date();
        const taken = await tx.nativeUpdate(
          Conversation,
          // Evaluated again after a concurrent take-over commits: the loser matches no row.
          { id, status: { $ne: 'WITH_AGENT' } },
          { status: 'WITH_AGENT', agentUserId: agent.userId, agentName, handoffReason: reason, handoffRequestedAt: waitingSince },
        );
        if (taken === 0) {
          const winner = await tx.findOne(Conversation, { id }, { refresh: true });
          throw HandoffError.takenByAnotherAgent(winner?.agentName ?? null);
        }
        ticket = { ...ticket, status: 'WITH_AGENT', reason, waitingSince: waitingSince.toISOString(), agentUserId: agent.userId, agentName };
        const events = await this.channels.events.append(tx, agent.tenantId, id, [statusEvent(ticket, agentName)]);
        change = { tenantId: agent.tenantId, conversationId: id, events, queue: queueEvent('TAKEN_OVER', ticket, null) };
      }
      const recent = await tx.find(Message, { conversationId: id }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: TAKEOVER_HISTORY });
      return { result: { conversation: ticket, history: recent.reverse().map(toReplyMessage) }, announcement: change };
    });
    await announce(this.channels, announcement);
    return result;
  }

  /** Stores an agent's reply (role AGENT, signed with their display name) and delivers it to the visitor. */
  async sendAgentMessage(em: EntityManager, agent: UserPrincipal, conversationId: string, text: string): Promise<ReplyMessage> {
    const id = parseId(conversationId, 'conversationId');
    const { text: body } = parseInput(sendMessageSchema, { text });
    const { message, announcement } = await inTenant(em, agent.tenantId, async (tx) => {
      // Locked, so a hand-back cannot slip in between the check and the message.
      const conversation = await this.find(tx, id, true);
      this.assertHeldBy(conversation, agent);
      const stored = tx.create(Message, {
        id: randomUUID(), tenantId: agent.tenantId, conversationId: id, role: 'AGENT', text: body, sources: [],
        provider: null, latencyMs: null, timeToFirstTokenMs: null, authorUserId: agent.userId, authorName: conversation.agentName ?? null,
      });
      conversation.lastMessageAt = new Date();
      await tx.flush();
      const posted = toReplyMessage(stored);
      const events = await this.channels.events.append(tx, agent.tenantId, id, [{ type: 'MessagePosted', message: posted }]);
      await this.channels.outbox.record(tx, agent.tenantId, { type: 'message.created', data: messageCreatedData(conversation.botId, posted) });
      return { message: posted, announcement: { tenantId: agent.tenantId, conversationId: id, events, queue: null } };
    });
    await announce(this.channels, announcement);
    return message;
  }

  /**
   * Returns the conversation to the bot: the holding agent leaves, or any agent dismisses a waiting
   * request. A conversation already with the bot is returned as it is.
   */
  async handBack(em: EntityManager, agent: UserPrincipal, conversationId: string): Promise<HandoffTicket> {
    const id = parseId(conversationId, 'conversationId');
    const { ticket, announcement } = await inTenant(em, agent.tenantId, async (tx) => {
      const conversation = await this.find(tx, id, true);
      if (conversation.status === 'BOT') return { ticket: toTicket(conversation), announcement: null };
      if (conversation.status === 'WITH_AGENT') this.assertHeldBy(conversation, agent);
      const leaving = conversation.agentName ?? null;
      conversation.status = 'BOT';
      conversation.agentUserId = null;
      conversation.agentName = null;
      conversation.handoffReason = null;
      conversation.handoffRequestedAt = null;
      await tx.flush();
      const returned = toTicket(conversation);
      const events = await this.channels.events.append(tx, agent.tenantId, id, [statusEvent(returned, leaving)]);
      return { ticket: returned, announcement: { tenantId: agent.tenantId, conversationId: id, events, queue: queueEvent('HANDED_BACK', returned, null) } };
    });
    await announce(this.channels, announcement);
    return ticket;
  }

  /**
   * The tenant's handoff queue, live: every conversation waiting now (oldest first), then each change
   * as it happens. The subject is the actor's tenant's, so no other tenant's conversation can appear.
   */
  queue(em: EntityManager, actor: TenantActor, botId?: string | null): AsyncIterableIterator<HandoffQueueChange> {
    const stop = new AbortController();
    return whenIterationEnds(this.followQueue(em, actor, botId, stop.signal), () => stop.abort());
  }

  private async *followQueue(em: EntityManager, actor: TenantActor, botId: string | null | undefined, stop: AbortSignal): AsyncGenerator<HandoffQueueChange> {
    const onlyBot = botId ? parseId(botId, 'botId') : null;
    // Subscribe before reading the snapshot, so a conversation that starts waiting in between is not missed.
    const subscription = await this.channels.bus.subscribe(subjects.handoffQueue(actor.tenantId));
    // An agent leaving ends the wait for the next change at once (see whenIterationEnds).
    stop.addEventListener('abort', () => subscription.unsubscribe(), { once: true });
    if (stop.aborted) subscription.unsubscribe();
    try {
      const waiting = await inTenant(em, actor.tenantId, (tx) =>
        tx.find(
          Conversation,
          { status: 'WAITING_FOR_AGENT', ...(onlyBot ? { botId: onlyBot } : {}) },
          { orderBy: { handoffRequestedAt: 'asc', id: 'asc' }, limit: QUEUE_SNAPSHOT_LIMIT },
        ),
      );
      for (const conversation of waiting) yield { change: 'WAITING', conversation: toTicket(conversation), visitorMessage: null };
      for await (const payload of subscription) {
        const event = handoffQueueEventSchema.safeParse(payload);
        if (!event.success) {
          this.channels.logger.warn({ issues: event.error.issues }, 'dropped a malformed handoff queue event');
          continue;
        }
        if (!onlyBot || event.data.botId === onlyBot) yield toQueueChange(event.data);
      }
    } finally {
      subscription.unsubscribe();
    }
  }

  private async find(tx: EntityManager, id: string, lock = false): Promise<Conversation> {
    const conversation = await tx.findOne(Conversation, { id }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {});
    if (!conversation) throw DomainError.notFound('Conversation');
    return conversation;
  }

  private assertHeldBy(conversation: Conversation, agent: UserPrincipal): void {
    if (conversation.status !== 'WITH_AGENT') throw HandoffError.notTakenOver();
    if (conversation.agentUserId !== agent.userId) throw HandoffError.takenByAnotherAgent(conversation.agentName ?? null);
  }
}

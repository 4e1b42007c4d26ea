import { randomUUID } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import {
  handoffQueueEventSchema,
  subjects,
  type ConversationStatus,
  type HandoffQueueEvent,
  type HandoffReason,
  type HandoffUnavailableReason,
  type ReplyMessage,
} from '@mascot/events';
import type { TenantActor, VisitorPrincipal } from '../../core/auth/index.ts';
import { inTenant } from '../../core/db/index.ts';
import { whenIterationEnds } from '../../core/graphql/index.ts';
import { messageCreatedData } from './message-dto.ts';
import { DomainError, parseId, parseInput } from '../../core/errors/index.ts';
import type { AuditService } from '../audit/index.ts';
import type { DepartedAgent } from '../identity/index.ts';
import { isOpen, nextOpening } from './business-hours.ts';
import { Conversation } from './conversation.entity.ts';
import { sendMessageSchema } from './message-input.ts';
import {
  announce,
  enterQueue,
  offerHumanModeOf,
  queueEvent,
  statusEvent,
  toTicket,
  type Announcement,
  type HandoffChannels,
  type HandoffTicket,
} from './handoff-changes.ts';
import { HandoffError } from './handoff.errors.ts';
import { assertStillAgent, auditKeyAction, defaultAgentName, heldBy, holderColumns, holds, type HandoffAgent } from './handoff-agent.ts';
import { acceptsOffer, declinesOffer, DECLINED_REPLY } from './handoff.offer.ts';
import { asksForPerson, handsOverOnRequest } from './handoff.policy.ts';
import { businessHoursOfConversation, HandoffSettingsService } from './handoff-settings.service.ts';
import type { LeadsService } from './lead.service.ts';
import { toReplyMessage } from './message-dto.ts';
import { CHAT_TURNS, Message } from './message.entity.ts';
import { recordNotice } from './system-notices.ts';

export type { HandoffChannels, HandoffTicket } from './handoff-changes.ts';

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

/** How a visitor message is handled once stored: whether the bot answers it, and what to do after commit. */
export interface VisitorMessageRoute {
  botReplies: boolean;
  /** Publishes what changed; asks for a person when the message did (in a transaction of its own, on `em`). */
  announce(em: EntityManager): Promise<void>;
}

/** Where a visitor's wish for a person stands: waiting (or with one), or why none comes and when people are back. */
export interface VisitorHandoffResult {
  status: ConversationStatus;
  unavailable: HandoffUnavailableReason | null;
  nextOpeningAt: string | null;
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

function toQueueChange(event: HandoffQueueEvent): HandoffQueueChange {
  const { change, conversationId: id, botId, status, reason, waitingSince, agentUserId, agentName, visitorMessage } = event;
  return { change, conversation: { id, botId, status, reason, waitingSince, agentUserId, agentName }, visitorMessage };
}

/**
 * Human handoff: the conversation states BOT → WAITING_FOR_AGENT → WITH_AGENT → BOT, the agents'
 * queue, and agents replying as themselves. Every change is stored with its visitor event in one
 * transaction and published after the commit.
 */
export class HandoffService {
  /** Business hours and the wait timeout (handoff-settings.service.ts). */
  readonly settings = new HandoffSettingsService();

  constructor(
    private readonly channels: HandoffChannels,
    private readonly leads: LeadsService,
    /** Records what API keys do as agents (handoff-agent.ts); absent in compositions without an audit log. */
    private readonly audit?: AuditService,
  ) {}

  /** Whether a visitor asking for a person now would get one: the hours, and who is online as an agent. */
  async availability(em: EntityManager, actor: TenantActor): Promise<{ openNow: boolean; onlineAgentIds: string[]; nextOpeningAt: string | null }> {
    const [view, online] = await Promise.all([
      this.settings.get(em, actor),
      this.channels.presence?.onlineAgents(actor.tenantId) ?? Promise.resolve(new Set<string>()),
    ]);
    return { openNow: view.openNow, onlineAgentIds: [...online].sort(), nextOpeningAt: view.nextOpeningAt };
  }

  /**
   * Decides, inside the transaction that stored a visitor message, who answers it. With the bot: the
   * bot, unless the message asks for a person, or accepts or declines the person the last reply offered
   * (then the wish is followed after the commit, see requestPerson). While waiting for a person the bot
   * keeps answering and the agents see the message; with an agent only the agent answers. Captures a lead
   * from the message either way.
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
    let wantsPerson: HandoffReason | null = null;
    // A closed conversation the visitor writes in again is open again (conversation-closing.ts).
    if (conversation.closedAt) Object.assign(conversation, { closedAt: null, closedByUserId: null, closedByApiKeyId: null });
    if (conversation.status === 'BOT') {
      // An offer stands for the one message right after it.
      const offered = conversation.handoffOfferedAt != null;
      if (offered) conversation.handoffOfferedAt = null;
      if (handsOverOnRequest(mode) && asksForPerson(message.text)) wantsPerson = 'VISITOR_REQUEST';
      else if (offered && acceptsOffer(message.text)) wantsPerson = 'BOT_UNSURE';
      else if (offered && declinesOffer(message.text)) announcement = await this.postAssistantLine(tx, conversation, DECLINED_REPLY);
      else botReplies = true;
      await tx.flush();
    } else {
      // People handle the conversation (or were asked to): the message goes to them on the conversation's stream,
      // and while nobody has joined yet the bot goes on answering what it can.
      botReplies = conversation.status === 'WAITING_FOR_AGENT' && !asksForPerson(message.text);
      const events = await this.channels.events.append(tx, conversation.tenantId, conversation.id, [{ type: 'MessagePosted', message: posted }]);
      announcement = {
        tenantId: conversation.tenantId, conversationId: conversation.id, events,
        queue: queueEvent('VISITOR_MESSAGE', toTicket(conversation), posted),
      };
    }
    return {
      botReplies,
      announce: async (em) => {
        await announce(this.channels, announcement);
        if (lead) await this.leads.announce(lead);
        if (wantsPerson) await this.requestPerson(em, conversation.tenantId, conversation.id, wantsPerson, posted);
      },
    };
  }

  /**
   * The visitor wants a person (asked, or accepted the offer): the conversation joins the agents' queue
   * when the tenant is open and an agent is online; otherwise it stays with the bot and the visitor is
   * told why and when people are back (HandoffUnavailable), and offered the contact form. A conversation
   * already waiting or with an agent is left as it is.
   */
  async requestPerson(
    em: EntityManager,
    tenantId: string,
    conversationId: string,
    reason: HandoffReason,
    visitorMessage: ReplyMessage | null,
  ): Promise<VisitorHandoffResult> {
    // Asked before the transaction: another instance may take a moment to answer for its agents.
    const agentOnline = (await this.channels.presence?.anyOnline(tenantId)) ?? false;
    const { result, announcement } = await inTenant(em, tenantId, async (tx) => {
      const conversation = await this.find(tx, conversationId, true);
      if (conversation.status !== 'BOT') return { result: { status: conversation.status, unavailable: null, nextOpeningAt: null }, announcement: null };
      if (!handsOverOnRequest((await offerHumanModeOf(tx, conversation)).mode)) throw HandoffError.noTeam();
      const hours = await businessHoursOfConversation(tx, conversation);
      const now = new Date();
      const open = isOpen(hours, now);
      if (open && agentOnline) {
        const queued = await enterQueue(tx, this.channels, conversation, reason, visitorMessage);
        return { result: { status: 'WAITING_FOR_AGENT' as const, unavailable: null, nextOpeningAt: null }, announcement: queued };
      }
      const unavailable: HandoffUnavailableReason = open ? 'NO_AGENT_ONLINE' : 'CLOSED';
      const nextOpeningAt = open ? null : (nextOpening(hours, now)?.toISOString() ?? null);
      await tx.nativeUpdate(Conversation, { id: conversationId }, { handoffOfferedAt: null });
      recordNotice(tx, conversation, { kind: 'HANDOFF_UNAVAILABLE', unavailableReason: unavailable, nextOpeningAt });
      await tx.flush();
      const events = await this.channels.events.append(tx, tenantId, conversationId, [{ type: 'HandoffUnavailable', cause: unavailable, nextOpeningAt }]);
      return { result: { status: 'BOT' as const, unavailable, nextOpeningAt }, announcement: { tenantId, conversationId, events, queue: null } };
    });
    await announce(this.channels, announcement);
    return result;
  }

  /** The visitor accepts the offer (or asks for a person with the widget's button). */
  async requestByVisitor(em: EntityManager, visitor: VisitorPrincipal, conversationId: string): Promise<VisitorHandoffResult> {
    const id = this.ownConversation(visitor, conversationId);
    const offered = await inTenant(em, visitor.tenantId, async (tx) => (await this.find(tx, id)).handoffOfferedAt != null);
    return this.requestPerson(em, visitor.tenantId, id, offered ? 'BOT_UNSURE' : 'VISITOR_REQUEST', null);
  }

  /** The visitor declines the offer: the bot answers on. */
  async declineByVisitor(em: EntityManager, visitor: VisitorPrincipal, conversationId: string): Promise<VisitorHandoffResult> {
    const id = this.ownConversation(visitor, conversationId);
    const status = await inTenant(em, visitor.tenantId, async (tx) => {
      const conversation = await this.find(tx, id);
      await tx.nativeUpdate(Conversation, { id }, { handoffOfferedAt: null });
      return conversation.status;
    });
    return { status, unavailable: null, nextOpeningAt: null };
  }

  /**
   * The visitor stops waiting for a person: back with the bot. Once an agent joined there is nothing to
   * cancel (CONFLICT, reason AGENT_JOINED); a conversation with the bot stays as it is.
   */
  async cancelByVisitor(em: EntityManager, visitor: VisitorPrincipal, conversationId: string): Promise<VisitorHandoffResult> {
    const id = this.ownConversation(visitor, conversationId);
    const announcement = await inTenant(em, visitor.tenantId, async (tx) => {
      const conversation = await this.find(tx, id, true);
      if (conversation.status === 'WITH_AGENT') throw HandoffError.agentJoined(conversation.agentName ?? null);
      if (conversation.status === 'BOT') return null;
      await tx.nativeUpdate(Conversation, { id }, { status: 'BOT', handoffReason: null, handoffRequestedAt: null });
      recordNotice(tx, conversation, { kind: 'HANDOFF_CANCELLED' });
      await tx.flush();
      const ticket: HandoffTicket = { ...toTicket(conversation), status: 'BOT', reason: null, waitingSince: null };
      const events = await this.channels.events.append(tx, visitor.tenantId, id, [statusEvent(ticket, null)]);
      return { tenantId: visitor.tenantId, conversationId: id, events, queue: queueEvent('HANDED_BACK', ticket, null) };
    });
    await announce(this.channels, announcement);
    return { status: 'BOT', unavailable: null, nextOpeningAt: null };
  }

  /** A short line of the bot's outside a reply (an acknowledgement), stored and posted like an agent's message. */
  private async postAssistantLine(tx: EntityManager, conversation: Conversation, text: string): Promise<Announcement> {
    const line = tx.create(Message, {
      id: randomUUID(), tenantId: conversation.tenantId, conversationId: conversation.id, role: 'ASSISTANT', text, sources: [],
      provider: null, latencyMs: null, timeToFirstTokenMs: null,
    });
    await tx.flush();
    const events = await this.channels.events.append(tx, conversation.tenantId, conversation.id, [{ type: 'MessagePosted', message: toReplyMessage(line) }]);
    return { tenantId: conversation.tenantId, conversationId: conversation.id, events, queue: null };
  }

  private ownConversation(visitor: VisitorPrincipal, conversationId: string): string {
    const id = parseId(conversationId, 'conversationId');
    if (visitor.conversationId !== id) throw DomainError.notFound('Conversation');
    return id;
  }

  /**
   * Takes a conversation over for `agent`, whether it waits for a person or is still with the bot.
   * Of two agents racing, the conditional update lets exactly one win; the other gets CONFLICT
   * (TAKEN_BY_ANOTHER_AGENT). Taking over one's own conversation again changes nothing.
   */
  async takeOver(em: EntityManager, agent: HandoffAgent, conversationId: string, displayName?: string | null): Promise<TakenOverConversation> {
    const id = parseId(conversationId, 'conversationId');
    const input = parseInput(displayNameSchema, { displayName });
    const { result, announcement } = await inTenant(em, agent.tenantId, async (tx) => {
      const conversation = await this.find(tx, id);
      if (conversation.status === 'WITH_AGENT' && !holds(conversation, agent)) {
        throw HandoffError.takenByAnotherAgent(conversation.agentName ?? null);
      }
      let ticket = toTicket(conversation);
      let change: Announcement | null = null;
      if (conversation.status !== 'WITH_AGENT') {
        await assertStillAgent(tx, agent);
        const agentName = input.displayName ?? (await defaultAgentName(tx, agent));
        const holder = holderColumns(agent);
        const reason = conversation.handoffReason ?? 'AGENT_INITIATED';
        const waitingSince = conversation.handoffRequestedAt ?? new Date();
        const taken = await tx.nativeUpdate(
          Conversation,
          // Evaluated again after a concurrent take-over commits: the loser matches no row.
          { id, status: { $ne: 'WITH_AGENT' } },
          // Taking a closed conversation over opens it again.
          { status: 'WITH_AGENT', ...holder, agentName, handoffReason: reason, handoffRequestedAt: waitingSince, closedAt: null, closedByUserId: null, closedByApiKeyId: null },
        );
        if (taken === 0) {
          const winner = await tx.findOne(Conversation, { id }, { refresh: true });
          throw HandoffError.takenByAnotherAgent(winner?.agentName ?? null);
        }
        ticket = { ...ticket, status: 'WITH_AGENT', reason, waitingSince: waitingSince.toISOString(), agentUserId: holder.agentUserId, agentName };
        auditKeyAction(this.audit, tx, agent, 'handoff.taken_over', id, { agentName });
        recordNotice(tx, conversation, { kind: 'AGENT_JOINED', agentName });
        await tx.flush();
        const events = await this.channels.events.append(tx, agent.tenantId, id, [statusEvent(ticket, agentName)]);
        change = { tenantId: agent.tenantId, conversationId: id, events, queue: queueEvent('TAKEN_OVER', ticket, null) };
      }
      // What was said: the agent's client follows handoff changes from the queue, not from stored notices.
      const recent = await tx.find(Message, { conversationId: id, ...CHAT_TURNS }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: TAKEOVER_HISTORY });
      return { result: { conversation: ticket, history: recent.reverse().map(toReplyMessage) }, announcement: change };
    });
    await announce(this.channels, announcement);
    return result;
  }

  /** Stores an agent's reply (role AGENT, signed with their display name) and delivers it to the visitor. */
  async sendAgentMessage(em: EntityManager, agent: HandoffAgent, conversationId: string, text: string): Promise<ReplyMessage> {
    const id = parseId(conversationId, 'conversationId');
    const { text: body } = parseInput(sendMessageSchema, { text });
    const { message, announcement } = await inTenant(em, agent.tenantId, async (tx) => {
      // Locked, so a hand-back cannot slip in between the check and the message.
      const conversation = await this.find(tx, id, true);
      this.assertHeldBy(conversation, agent);
      const stored = tx.create(Message, {
        id: randomUUID(), tenantId: agent.tenantId, conversationId: id, role: 'AGENT', text: body, sources: [],
        provider: null, latencyMs: null, timeToFirstTokenMs: null, authorUserId: holderColumns(agent).agentUserId, authorName: conversation.agentName ?? null,
      });
      auditKeyAction(this.audit, tx, agent, 'handoff.agent_message_sent', id, { messageId: stored.id });
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
  async handBack(em: EntityManager, agent: HandoffAgent, conversationId: string): Promise<HandoffTicket> {
    const id = parseId(conversationId, 'conversationId');
    const { ticket, announcement } = await inTenant(em, agent.tenantId, async (tx) => {
      const conversation = await this.find(tx, id, true);
      if (conversation.status === 'BOT') return { ticket: toTicket(conversation), announcement: null };
      if (conversation.status === 'WITH_AGENT') this.assertHeldBy(conversation, agent);
      auditKeyAction(this.audit, tx, agent, 'handoff.handed_back', id);
      return this.returnToBot(tx, conversation, false);
    });
    await announce(this.channels, announcement);
    return ticket;
  }

  /**
   * Hands back every conversation `departed` holds, in the transaction that ended its access (a revoked key,
   * a removed member, a member moved to a role without conversations:handle; identity's AgentDepartureHandler),
   * so none stays WITH_AGENT with nobody able to answer it, take it over or hand it back. Returns the
   * announcements' publication, for after the commit.
   */
  async releaseHeldBy(tx: EntityManager, departed: DepartedAgent): Promise<() => Promise<void>> {
    const held = await tx.find(Conversation, heldBy(departed), { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, orderBy: { id: 'asc' } });
    const announcements: Announcement[] = [];
    for (const conversation of held) announcements.push((await this.returnToBot(tx, conversation, true)).announcement);
    return async () => {
      for (const announcement of announcements) await announce(this.channels, announcement);
    };
  }

  /**
   * Ends people's part in a conversation an agent closes (conversation-closing.ts), in the caller's transaction
   * (the row locked): a waiting request is dismissed and the holder leaves, as in a hand-back; another agent's
   * conversation is CONFLICT (TAKEN_BY_ANOTHER_AGENT). Returns the publication, for after the commit.
   */
  async releaseForClosing(tx: EntityManager, agent: HandoffAgent, conversation: Conversation): Promise<() => Promise<void>> {
    if (conversation.status === 'BOT') return () => Promise.resolve();
    if (conversation.status === 'WITH_AGENT') this.assertHeldBy(conversation, agent);
    const { announcement } = await this.returnToBot(tx, conversation, false);
    return () => announce(this.channels, announcement);
  }

  /** A conversation waiting for or with an agent goes back to the bot, with its notice and visitor event. */
  private async returnToBot(tx: EntityManager, conversation: Conversation, agentRemoved: boolean): Promise<{ ticket: HandoffTicket; announcement: Announcement }> {
    const leaving = conversation.agentName ?? null;
    conversation.status = 'BOT';
    conversation.agentUserId = null;
    conversation.agentApiKeyId = null;
    conversation.agentName = null;
    conversation.handoffReason = null;
    conversation.handoffRequestedAt = null;
    recordNotice(tx, conversation, { kind: 'HANDED_BACK', agentName: leaving, agentRemoved });
    await tx.flush();
    const returned = toTicket(conversation);
    const events = await this.channels.events.append(tx, conversation.tenantId, conversation.id, [statusEvent(returned, leaving)]);
    return { ticket: returned, announcement: { tenantId: conversation.tenantId, conversationId: conversation.id, events, queue: queueEvent('HANDED_BACK', returned, null) } };
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
    // An agent watching the queue is online (agent-presence.ts) until this subscription ends; so is an
    // integration's key (conversations_handle), which takes over and answers like a member.
    const agentId = actor.kind === 'user' ? actor.userId : actor.keyId;
    const leave = this.channels.presence ? await this.channels.presence.join(actor.tenantId, agentId) : null;
    stop.addEventListener('abort', () => void leave?.(), { once: true });
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
      await leave?.();
    }
  }

  private async find(tx: EntityManager, id: string, lock = false): Promise<Conversation> {
    const conversation = await tx.findOne(Conversation, { id }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {});
    if (!conversation) throw DomainError.notFound('Conversation');
    return conversation;
  }

  private assertHeldBy(conversation: Conversation, agent: HandoffAgent): void {
    if (conversation.status !== 'WITH_AGENT') throw HandoffError.notTakenOver();
    if (!holds(conversation, agent)) throw HandoffError.takenByAnotherAgent(conversation.agentName ?? null);
  }
}

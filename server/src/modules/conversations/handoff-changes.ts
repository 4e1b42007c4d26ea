import type { EntityManager } from '@mikro-orm/postgresql';
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
import type { MessageBus } from '../../core/bus/index.ts';
import { inTenant } from '../../core/db/index.ts';
import type { DomainEventOutbox } from '../../core/events/index.ts';
import type { JobQueue } from '../../core/jobs/index.ts';
import type { Logger } from '../../core/logging/index.ts';
import type { AgentPresence } from './agent-presence.ts';
import { nextOpening } from './business-hours.ts';
import { Conversation } from './conversation.entity.ts';
import type { ConversationEventLog, UnnumberedEvent } from './conversation-event-log.ts';
import { businessHoursOfConversation } from './handoff-settings.service.ts';
import { pinnedVersionOf } from './pinned-version.ts';
import { recordNotice } from './system-notices.ts';

/*
 * The handoff state changes every path shares (handoff.service.ts for visitors and agents, the reply
 * pipeline's offer, the timeout job): each stored with its visitor event and its SYSTEM message
 * (system-notices.ts) in the caller's transaction and announced after the commit (conversation stream,
 * agents' queue, and a wait's durable timeout).
 */

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

/**
 * The wait a job is about, by its start: within the millisecond, since a start written by PostgreSQL
 * (microseconds) travels in the job as an ISO string (milliseconds).
 */
export function sameWait(job: Pick<HandoffTimeoutJob, 'requestedAt'>): { $gte: Date; $lt: Date } {
  const at = Date.parse(job.requestedAt);
  return { $gte: new Date(at), $lt: new Date(at + 1) };
}

/** The durable job that ends a wait nobody took (handoff-timeout.ts). */
export const HANDOFF_TIMEOUT_QUEUE = 'handoff-timeout';
export interface HandoffTimeoutJob {
  tenantId: string;
  conversationId: string;
  /** The wait this job ends: a later wait of the same conversation has its own job. */
  requestedAt: string;
}

/** Where handoff changes are announced: the visitor's conversation stream and the tenant's agents. */
export interface HandoffChannels {
  events: ConversationEventLog;
  bus: MessageBus;
  logger: Logger;
  /** Domain events for webhooks (handoff requested, agent messages), recorded in the same transaction. */
  outbox: DomainEventOutbox;
  /** Which agents are online; without it every agent counts as away (nobody is put in an endless wait). */
  presence?: AgentPresence;
  /** Schedules the end of a wait nobody takes (HANDOFF_TIMEOUT_QUEUE); without it a wait lasts until an agent acts. */
  jobs?: JobQueue;
}

/** Changes committed in one transaction, to be published after the commit. */
export interface Announcement {
  tenantId: string;
  conversationId: string;
  events: ConversationEvent[];
  queue: HandoffQueueEvent | null;
  /** A wait began: its timeout is scheduled after the commit. */
  timeout?: HandoffTimeoutJob;
}

export function toTicket(conversation: Conversation): HandoffTicket {
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

export function queueEvent(change: HandoffQueueEvent['change'], ticket: HandoffTicket, visitorMessage: ReplyMessage | null): HandoffQueueEvent {
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

export function statusEvent(ticket: HandoffTicket, agentName: string | null): UnnumberedEvent {
  return { type: 'HandoffStatusChanged', status: ticket.status, agentName };
}

export async function offerHumanModeOf(tx: EntityManager, conversation: Conversation): Promise<{ mode: OfferHumanMode; language: string }> {
  const { personality } = (await pinnedVersionOf(tx, conversation)).bundle;
  return { mode: personality.offerHuman, language: personality.language };
}

/**
 * Moves a conversation answered by the bot into the agents' queue. The update is conditional on the
 * status, so a conversation already waiting or taken over is left alone (null).
 */
export async function enterQueue(
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
    { status: 'WAITING_FOR_AGENT', handoffReason: reason, handoffRequestedAt: waitingSince, handoffOfferedAt: null },
  );
  if (moved === 0) return null;
  const ticket: HandoffTicket = {
    ...toTicket(conversation), status: 'WAITING_FOR_AGENT', reason, waitingSince: waitingSince.toISOString(), agentUserId: null, agentName: null,
  };
  recordNotice(tx, conversation, { kind: 'HANDOFF_REQUESTED', handoffReason: reason });
  await tx.flush();
  const events = await channels.events.append(tx, conversation.tenantId, conversation.id, [statusEvent(ticket, null)]);
  await channels.outbox.record(tx, conversation.tenantId, {
    type: 'handoff.requested',
    data: { conversationId: conversation.id, botId: conversation.botId, reason },
  });
  return {
    tenantId: conversation.tenantId, conversationId: conversation.id, events, queue: queueEvent('WAITING', ticket, visitorMessage),
    timeout: { tenantId: conversation.tenantId, conversationId: conversation.id, requestedAt: waitingSince.toISOString() },
  };
}

/** Publishes committed changes. They are stored already, so a bus failure is logged, not thrown. */
export async function announce(channels: HandoffChannels, announcement: Announcement | null): Promise<void> {
  if (!announcement) return;
  const { tenantId, conversationId } = announcement;
  try {
    await channels.events.publish(tenantId, conversationId, announcement.events);
    if (announcement.queue) await channels.bus.publish(subjects.handoffQueue(tenantId), announcement.queue);
  } catch (error) {
    channels.logger.warn({ err: error, conversationId }, 'could not announce a handoff change; the visitor catches up on replay');
  }
  if (announcement.timeout && channels.jobs) {
    const job = announcement.timeout;
    // A lost enqueue is caught up at the next start (startHandoffTimeouts); the wait itself is stored.
    await channels.jobs
      .enqueue(HANDOFF_TIMEOUT_QUEUE, job, { dedupeId: `${job.conversationId}:${job.requestedAt}` })
      .catch((error: unknown) => channels.logger.warn({ err: error, conversationId }, 'could not schedule the end of a handoff wait'));
  }
}

/**
 * The reply pipeline's hook after a reply that offered a person (handoff.offer.ts): the visitor's next
 * message may accept or decline it. Only a conversation still with the bot is marked.
 */
export async function recordHandoffOffer(em: EntityManager, input: { tenantId: string; conversationId: string }): Promise<void> {
  await inTenant(em, input.tenantId, (tx) =>
    tx.nativeUpdate(Conversation, { id: input.conversationId, status: 'BOT' }, { handoffOfferedAt: new Date() }),
  );
}

/** The wait `job` ended without an agent, if it is still that wait (handoff-timeout.ts calls it when it is due). */
export async function endUntakenWait(em: EntityManager, channels: HandoffChannels, job: HandoffTimeoutJob): Promise<boolean> {
  const announcement = await inTenant(em, job.tenantId, async (tx) => {
    const ended = await tx.nativeUpdate(
      Conversation,
      { id: job.conversationId, status: 'WAITING_FOR_AGENT', handoffRequestedAt: sameWait(job) },
      { status: 'BOT', handoffReason: null, handoffRequestedAt: null },
    );
    if (ended === 0) return null;
    const conversation = await tx.findOneOrFail(Conversation, { id: job.conversationId }, { refresh: true });
    const hours = await businessHoursOfConversation(tx, conversation);
    const back = nextOpening(hours, new Date());
    const nextOpeningAt = back && back.getTime() > Date.now() ? back.toISOString() : null;
    const unavailable: UnnumberedEvent = { type: 'HandoffUnavailable', cause: 'TIMED_OUT', nextOpeningAt };
    const ticket = toTicket(conversation);
    recordNotice(tx, conversation, { kind: 'HANDOFF_UNAVAILABLE', unavailableReason: 'TIMED_OUT', nextOpeningAt });
    await tx.flush();
    const events = await channels.events.append(tx, job.tenantId, job.conversationId, [statusEvent(ticket, null), unavailable]);
    return { tenantId: job.tenantId, conversationId: job.conversationId, events, queue: queueEvent('HANDED_BACK', ticket, null) };
  });
  await announce(channels, announcement);
  return announcement !== null;
}

import { z } from 'zod';

/**
 * Events of one conversation, as they travel over the bus between server instances.
 * `seq` is per conversation and strictly increasing across replies (allocated in PostgreSQL, a reply
 * leasing a block of them, so safe across instances). Reply deltas are published at once and stored in
 * coarse batches; a reconnecting subscriber replays what it missed after its last seen `seq` from the log
 * and from the producing instance's in-flight tail, and drops duplicates at the seam.
 */
export const replySourceSchema = z.object({
  marker: z.number().int().positive(),
  documentTitle: z.string(),
  snippet: z.string(),
  sectionPath: z.array(z.string()),
  page: z.number().int().positive().nullable().default(null),
  /** The web page cited (website sources); absent for files and text. */
  url: z.string().nullable().optional(),
});

export const replyMessageSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  role: z.enum(['VISITOR', 'ASSISTANT', 'AGENT']),
  text: z.string(),
  /** The name an agent's message is signed with (role AGENT); null for visitor and assistant messages. */
  authorName: z.string().nullable().default(null),
  createdAt: z.iso.datetime(),
  sources: z.array(replySourceSchema),
});

/** Who answers a conversation: the bot, nobody yet (waiting for a person), or one agent. */
export const conversationStatusSchema = z.enum(['BOT', 'WAITING_FOR_AGENT', 'WITH_AGENT']);
export const handoffReasonSchema = z.enum(['VISITOR_REQUEST', 'BOT_UNSURE', 'AGENT_INITIATED']);
/** Why a wanted person does not come: outside business hours, no agent online, or nobody took the wait in time. */
export const handoffUnavailableReasonSchema = z.enum(['CLOSED', 'NO_AGENT_ONLINE', 'TIMED_OUT']);

export const conversationEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ReplyStarted'), seq: z.number().int(), messageId: z.uuid() }),
  z.object({ type: z.literal('ReplyDelta'), seq: z.number().int(), messageId: z.uuid(), delta: z.string() }),
  z.object({
    type: z.literal('ReplyCompleted'),
    seq: z.number().int(),
    message: replyMessageSchema,
    /**
     * The reply offers the visitor a person (the bot was unsure and its offerHuman is `when-unsure` or
     * `always`): the widget shows the offer. Decided once (handoff.offer.ts), so it always agrees with the
     * text. Absent in events logged before the field existed.
     */
    requestsContact: z.boolean().default(false),
  }),
  z.object({
    type: z.literal('AvatarCue'),
    seq: z.number().int(),
    /** The reply the cue belongs to. */
    messageId: z.uuid(),
    /** listening: reacting to the visitor's message; speaking: while tokens stream; finished: after the reply. */
    phase: z.enum(['listening', 'speaking', 'finished']),
    /** One of the 20 animation slots of @mascot/avatar-core. */
    slot: z.string(),
    intensity: z.number().min(0).max(1),
    reason: z.string(),
    intent: z.string(),
    /** -1..1, of the visitor's message (listening) or of the reply so far (speaking, finished). */
    sentiment: z.number().min(-1).max(1),
  }),
  z.object({
    type: z.literal('ReplyFailed'),
    seq: z.number().int(),
    messageId: z.uuid(),
    code: z.string(),
    reason: z.string(),
  }),
  // Handoff: the visitor sees the conversation wait for a person, an agent join and leave.
  z.object({
    type: z.literal('HandoffStatusChanged'),
    seq: z.number().int(),
    status: conversationStatusSchema,
    agentName: z.string().nullable(),
  }),
  // A message not produced by the reply pipeline: an agent's reply, or a visitor message while people handle the conversation.
  z.object({ type: z.literal('MessagePosted'), seq: z.number().int(), message: replyMessageSchema }),
  // The visitor wanted a person and none could come (closed, nobody online) or came in time: the bot answers
  // on, and the widget says when people are back and offers the contact form (handoff-availability.ts).
  z.object({
    type: z.literal('HandoffUnavailable'),
    seq: z.number().int(),
    /** Named apart from ReplyFailed.reason (a string): one selection may ask for both. */
    cause: handoffUnavailableReasonSchema,
    /** The next opening time of the tenant's business hours; null when no hours are set (always open) or none is known. */
    nextOpeningAt: z.iso.datetime().nullable(),
  }),
]);

export type ReplySource = z.infer<typeof replySourceSchema>;
export type ReplyMessage = z.infer<typeof replyMessageSchema>;
export type ConversationEvent = z.infer<typeof conversationEventSchema>;
export type ConversationEventType = ConversationEvent['type'];

/** Published on `subjects.handoffQueue(tenantId)` for the tenant's agents. */
export const handoffQueueEventSchema = z.object({
  type: z.literal('HandoffQueueChanged'),
  change: z.enum(['WAITING', 'TAKEN_OVER', 'HANDED_BACK', 'VISITOR_MESSAGE']),
  conversationId: z.uuid(),
  botId: z.uuid(),
  status: conversationStatusSchema,
  reason: handoffReasonSchema.nullable(),
  waitingSince: z.iso.datetime().nullable(),
  agentUserId: z.uuid().nullable(),
  agentName: z.string().nullable(),
  /** The visitor message that changed the queue (VISITOR_MESSAGE, or the request that made it wait). */
  visitorMessage: replyMessageSchema.nullable(),
});

/**
 * Published on `subjects.leadCaptured(tenantId)` when a lead is created or gains details. It names
 * which details the lead holds, never the details themselves: they stay in the database.
 */
export const leadCapturedEventSchema = z.object({
  type: z.literal('LeadCaptured'),
  leadId: z.uuid(),
  tenantId: z.uuid(),
  botId: z.uuid(),
  conversationId: z.uuid(),
  created: z.boolean(),
  has: z.object({ name: z.boolean(), email: z.boolean(), phone: z.boolean() }),
  wantsContact: z.boolean(),
  updatedAt: z.iso.datetime(),
});

export type ConversationStatus = z.infer<typeof conversationStatusSchema>;
export type HandoffReason = z.infer<typeof handoffReasonSchema>;
export type HandoffQueueEvent = z.infer<typeof handoffQueueEventSchema>;
export type LeadCapturedEvent = z.infer<typeof leadCapturedEventSchema>;

/**
 * On `subjects.conversationPresence`: a visitor's event subscription started or ended, or a reply
 * asks who is still there (every live visitor subscription answers VisitorJoined) — a visitor may
 * have the conversation open in two tabs, and one closing must not stop the other's reply.
 */
export const visitorPresenceEventSchema = z.object({ type: z.enum(['VisitorJoined', 'VisitorLeft', 'PresenceProbe']) });
export type VisitorPresenceEvent = z.infer<typeof visitorPresenceEventSchema>;

/**
 * On `subjects.agentPresence`: an agent's queue subscription (waitingConversations) started or ended, or an
 * instance asks which agents are online (every instance holding one answers AgentOnline for each).
 */
export const agentPresenceEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('AgentOnline'), userId: z.uuid() }),
  z.object({ type: z.literal('AgentOffline'), userId: z.uuid() }),
  z.object({ type: z.literal('AgentPresenceProbe') }),
]);
export type AgentPresenceEvent = z.infer<typeof agentPresenceEventSchema>;
export type HandoffUnavailableReason = z.infer<typeof handoffUnavailableReasonSchema>;

/**
 * On `subjects.replyTailRequest`: a subscriber resuming after `after` asks every instance producing a reply of
 * the conversation for what it published and has not necessarily stored yet; they answer on
 * `subjects.replyTailAnswer(…, requestId)`.
 */
export const replyTailRequestSchema = z.object({
  requestId: z.uuid(),
  after: z.number().int().min(0),
});

/** One producing instance's answer: the events of reply `messageId` after the request's `after`, in seq order. */
export const replyTailAnswerSchema = z.object({
  messageId: z.uuid(),
  events: z.array(conversationEventSchema),
});

export type ReplyTailRequest = z.infer<typeof replyTailRequestSchema>;
export type ReplyTailAnswer = z.infer<typeof replyTailAnswerSchema>;

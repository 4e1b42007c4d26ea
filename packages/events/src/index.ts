export { subjects } from './subjects.ts';
export {
  conversationEventSchema,
  conversationStatusSchema,
  handoffQueueEventSchema,
  handoffReasonSchema,
  leadCapturedEventSchema,
  replyMessageSchema,
  replySourceSchema,
  visitorPresenceEventSchema,
  type ConversationEvent,
  type ConversationEventType,
  type ConversationStatus,
  type HandoffQueueEvent,
  type HandoffReason,
  type LeadCapturedEvent,
  type ReplyMessage,
  type ReplySource,
  type VisitorPresenceEvent,
} from './conversation-events.ts';
export { botPublishedEventSchema, type BotPublishedEvent } from './bot-events.ts';

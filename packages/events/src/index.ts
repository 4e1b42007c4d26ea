export { subjects } from './subjects.ts';
export {
  conversationEventSchema,
  replyMessageSchema,
  replySourceSchema,
  type ConversationEvent,
  type ConversationEventType,
  type ReplyMessage,
  type ReplySource,
} from './conversation-events.ts';
export { botPublishedEventSchema, type BotPublishedEvent } from './bot-events.ts';

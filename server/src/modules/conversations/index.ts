export { createConversationsResolver } from './conversations.resolver.ts';
export { ConversationsService } from './conversations.service.ts';
export { ReplyPipeline } from './reply-pipeline.ts';
export { Conversation } from './conversation.entity.ts';
export { Message } from './message.entity.ts';

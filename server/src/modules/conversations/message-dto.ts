import type { ReplyMessage } from '@mascot/events';
import type { Message } from './message.entity.ts';

/** The wire shape of a stored message: what the bus carries and GraphQL returns. */
export function toReplyMessage(message: Message): ReplyMessage {
  return {
    id: message.id,
    conversationId: message.conversationId,
    role: message.role,
    text: message.text,
    createdAt: message.createdAt.toISOString(),
    sources: message.sources,
  };
}

import type { ReplyMessage } from '@mascot/events';
import type { Message } from './message.entity.ts';

/**
 * The wire shape of a stored chat message: what the bus carries and GraphQL returns to visitors and agents.
 * SYSTEM notices have no such shape; the reads that feed this leave them out (CHAT_TURNS), so meeting one
 * here is a bug in the caller.
 */
export function toReplyMessage(message: Message): ReplyMessage {
  if (message.role === 'SYSTEM') throw new TypeError(`message ${message.id} is a system notice, not a chat message`);
  return {
    id: message.id,
    conversationId: message.conversationId,
    role: message.role,
    text: message.text,
    authorName: message.authorName ?? null,
    createdAt: message.createdAt.toISOString(),
    sources: message.sources,
  };
}

/**
 * The `data` of a `message.created` webhook: the message as the conversation shows it. Webhooks go
 * only to the tenant's own endpoints, and the text is what a CRM or helpdesk integration needs.
 */
export function messageCreatedData(botId: string, message: ReplyMessage): Record<string, unknown> {
  return {
    botId,
    conversationId: message.conversationId,
    messageId: message.id,
    role: message.role,
    text: message.text,
    authorName: message.authorName,
    createdAt: message.createdAt,
  };
}

import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReplyMessage } from '@mascot/events';
import type { VisitorPrincipal } from '../../core/auth/index.ts';
import { inTenant } from '../../core/db/index.ts';
import { DomainError, parseId } from '../../core/errors/index.ts';
import { toReplyMessage } from './message-dto.ts';
import { CHAT_TURNS, Message } from './message.entity.ts';

/** The most messages a transcript holds (the latest ones): bounds the response of a very long chat. */
export const MAX_TRANSCRIPT_MESSAGES = 2000;

/**
 * The conversation as stored, for the visitor to download (the widget formats it as text or a
 * printable page). Read from the database rather than the widget's copy, which keeps only the last
 * 200 messages and no times.
 */
export class TranscriptService {
  async forVisitor(em: EntityManager, visitor: VisitorPrincipal, conversationId: string): Promise<ReplyMessage[]> {
    const id = parseId(conversationId, 'conversationId');
    if (visitor.conversationId !== id) throw DomainError.notFound('Conversation');
    return inTenant(em, visitor.tenantId, async (tx) => {
      const latest = await tx.find(
        Message,
        // Handoff notices are the widget's own to show (system-notices.ts).
        { conversationId: id, text: { $ne: '' }, ...CHAT_TURNS },
        { orderBy: { createdAt: 'desc', id: 'desc' }, limit: MAX_TRANSCRIPT_MESSAGES },
      );
      return latest.reverse().map(toReplyMessage);
    });
  }
}

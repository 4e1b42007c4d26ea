import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { inTenant } from '../../core/db/index.ts';
import { DomainError, parseId } from '../../core/errors/index.ts';
import type { AuditService } from '../audit/index.ts';
import { Conversation } from './conversation.entity.ts';
import type { ConversationHistoryService, ConversationView } from './conversation-history.service.ts';
import type { HandoffAgent } from './handoff-agent.ts';
import type { HandoffService } from './handoff.service.ts';

/**
 * Closing a conversation (issue 17, the Console's Inbox): the team is done with it. Closed is a mark beside the
 * handoff status, not a status of its own, so the visitor's widget and the reply path are unchanged: people
 * leave (a waiting request is dismissed, the holding agent hands back) and the conversation leaves the Inbox.
 * A new visitor message, or an agent taking it over, opens it again (handoff.service.ts); agents may reopen it
 * by hand. Both are audited with the member or key as actor.
 */
export class ConversationClosingService {
  constructor(
    private readonly handoff: HandoffService,
    private readonly history: ConversationHistoryService,
    private readonly audit: AuditService,
  ) {}

  /** Closes (or reopens) the conversation; doing so when it already is changes nothing and records nothing. */
  async setClosed(em: EntityManager, agent: HandoffAgent, conversationId: string, closed: boolean, ip?: string): Promise<ConversationView> {
    const id = parseId(conversationId, 'conversationId');
    const publish = await inTenant(em, agent.tenantId, async (tx) => {
      const conversation = await tx.findOne(Conversation, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (!conversation) throw DomainError.notFound('Conversation');
      if ((conversation.closedAt != null) === closed) return null;
      const release = closed ? await this.handoff.releaseForClosing(tx, agent, conversation) : null;
      conversation.closedAt = closed ? new Date() : null;
      conversation.closedByUserId = closed && agent.kind === 'user' ? agent.userId : null;
      conversation.closedByApiKeyId = closed && agent.kind === 'apiKey' ? agent.keyId : null;
      this.audit.record(tx, agent.tenantId, {
        action: closed ? 'conversation.closed' : 'conversation.reopened', actor: agent, target: { type: 'conversation', id }, ip,
      });
      await tx.flush();
      return release;
    });
    await publish?.();
    return this.history.get(em, agent.tenantId, id);
  }
}

import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../core/auth/index.ts';
import { listInTenant, type KeysetRequest, type Page } from '../../core/db/index.ts';
import { AuditEvent, type AuditActorType } from './audit-event.entity.ts';

export type AuditAction =
  | 'user.signed_up'
  | 'user.sign_up_with_existing_email'
  | 'user.signed_in'
  | 'user.sign_in_failed'
  | 'session.reuse_detected'
  | 'api_key.created'
  | 'api_key.revoked'
  | 'member.invited'
  | 'member.invitation_revoked'
  | 'member.joined'
  | 'member.role_changed'
  | 'member.removed'
  | 'bot.published'
  | 'bot.archived'
  | 'bot.unarchived'
  | 'bot.deleted'
  | 'bot.restored'
  | 'bot.purged'
  | 'privacy.visitor_exported'
  | 'privacy.visitor_erased'
  | 'knowledge.deleted'
  | 'knowledge.curated_answer_created'
  | 'knowledge.curated_answer_updated'
  | 'knowledge.curated_answer_deleted'
  | 'knowledge.curated_answers_imported'
  | 'webhook.created'
  | 'webhook.updated'
  | 'webhook.deleted'
  | 'webhook.secret_rotated'
  | 'webhook.replayed'
  | 'webhook.test_sent'
  | 'webhook.retried_now'
  | 'handoff.taken_over'
  | 'handoff.agent_message_sent'
  | 'handoff.handed_back'
  | 'lead.handled'
  | 'lead.reopened'
  | 'conversation.closed'
  | 'conversation.reopened'
  | 'canned_reply.created'
  | 'canned_reply.updated'
  | 'canned_reply.deleted';

export interface AuditEntry {
  action: AuditAction;
  actor: Principal | { kind: 'system' };
  target?: { type: string; id: string };
  ip?: string | undefined;
  metadata?: Record<string, unknown>;
}

function actorOf(actor: AuditEntry['actor']): { type: AuditActorType; id: string | null } {
  switch (actor.kind) {
    case 'user':
      return { type: 'user', id: actor.userId };
    case 'apiKey':
      return { type: 'api_key', id: actor.keyId };
    case 'visitor':
      return { type: 'visitor', id: actor.conversationId };
    default:
      return { type: 'system', id: null };
  }
}

/** Writes security-relevant actions inside the caller's tenant transaction, so they commit with the action. */
export class AuditService {
  record(tx: EntityManager, tenantId: string, entry: AuditEntry): void {
    const actor = actorOf(entry.actor);
    tx.create(AuditEvent, {
      id: randomUUID(),
      tenantId,
      actorType: actor.type,
      actorId: actor.id,
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      ip: entry.ip ?? null,
      metadata: entry.metadata ?? {},
    });
  }

  /** The tenant's audit log, newest first. */
  async list(em: EntityManager, tenantId: string, page: KeysetRequest): Promise<Page<AuditEvent>> {
    return listInTenant(em, tenantId, { entity: AuditEvent, where: () => ({}) }, page);
  }
}

import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { roleAllows, type TenantActor } from '../../core/auth/index.ts';
import { DomainError } from '../../core/errors/index.ts';
import type { AuditAction, AuditService } from '../audit/index.ts';
import { ApiKey, Membership, User, type DepartedAgent } from '../identity/index.ts';
import type { Conversation } from './conversation.entity.ts';

/**
 * Who handles a conversation in handoff: a member at the agent console, or a partner's integration (a
 * helpdesk, a CRM inbox) through an API key with the `conversations_handle` scope. Both go through the same
 * HandoffService operations and visitor events; the key is an agent of its own, named after the key unless
 * it gives a display name, and holds the conversation by `agent_api_key_id` instead of `agent_user_id`.
 */
export type HandoffAgent = TenantActor;

/** The columns that say who holds a conversation WITH_AGENT (exactly one is set; a database check agrees). */
export function holderColumns(agent: HandoffAgent): { agentUserId: string | null; agentApiKeyId: string | null } {
  return agent.kind === 'user' ? { agentUserId: agent.userId, agentApiKeyId: null } : { agentUserId: null, agentApiKeyId: agent.keyId };
}

/** Whether `agent` is the one holding the conversation. */
export function holds(conversation: Pick<Conversation, 'agentUserId' | 'agentApiKeyId'>, agent: HandoffAgent): boolean {
  return agent.kind === 'user' ? conversation.agentUserId === agent.userId : conversation.agentApiKeyId === agent.keyId;
}

/** The ORM condition for the conversations `agent` holds. */
export function heldBy(agent: DepartedAgent) {
  return agent.kind === 'user'
    ? { status: 'WITH_AGENT' as const, agentUserId: agent.userId }
    : { status: 'WITH_AGENT' as const, agentApiKeyId: agent.keyId };
}

/**
 * Refuses an agent whose access ended after its request was authenticated (instances cache identities for
 * up to a second). The key's or membership's row is read FOR SHARE, which orders a take-over against a
 * revocation or removal running at the same moment: either the revocation waits for the take-over to commit
 * and then hands the conversation back (HandoffService.releaseHeldBy), or the take-over waits for the
 * revocation and is refused here. Either way no conversation is left held by someone gone.
 */
export async function assertStillAgent(tx: EntityManager, agent: HandoffAgent): Promise<void> {
  if (agent.kind === 'apiKey') {
    const key = await tx.findOne(ApiKey, { id: agent.keyId }, { lockMode: LockMode.PESSIMISTIC_READ, refresh: true });
    if (!key || key.revokedAt) throw DomainError.unauthenticated('The API key has been revoked.');
    return;
  }
  const membership = await tx.findOne(Membership, { userId: agent.userId }, { lockMode: LockMode.PESSIMISTIC_READ, refresh: true });
  if (!membership) throw DomainError.unauthenticated('This account no longer has access to this tenant.');
  if (!roleAllows(membership.role, 'conversations:handle')) throw DomainError.forbidden(`Your role (${membership.role}) does not allow conversations:handle.`);
}

/** "ada.lovelace@example.com" → "Ada": what visitors see when an agent gives no display name. */
function nameFromEmail(email: string): string {
  const first = email.split('@')[0]?.split(/[._+-]/)[0] ?? '';
  return first ? first.charAt(0).toUpperCase() + first.slice(1, 80) : 'Support';
}

/** The name visitors see when the agent gives none: a member's from their e-mail address, a key's own name. */
export async function defaultAgentName(tx: EntityManager, agent: HandoffAgent): Promise<string> {
  if (agent.kind === 'user') return nameFromEmail((await tx.findOneOrFail(User, { id: agent.userId }, { fields: ['email'] })).email);
  return (await tx.findOneOrFail(ApiKey, { id: agent.keyId }, { fields: ['name'] })).name;
}

/**
 * Audits what an integration did in a conversation, with the key as actor, in the caller's transaction. Members'
 * actions are not audited here: they are already attributed in the conversation (agent_user_id) and on each
 * message (author_user_id), which a key's are not.
 */
export function auditKeyAction(
  audit: AuditService | undefined,
  tx: EntityManager,
  agent: HandoffAgent,
  action: Extract<AuditAction, `handoff.${string}`>,
  conversationId: string,
  metadata?: Record<string, unknown>,
): void {
  if (agent.kind !== 'apiKey') return;
  audit?.record(tx, agent.tenantId, { action, actor: agent, target: { type: 'conversation', id: conversationId }, ...(metadata ? { metadata } : {}) });
}

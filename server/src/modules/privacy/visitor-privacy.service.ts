import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { TenantActor } from '../../core/auth/index.ts';
import { inTenant } from '../../core/db/index.ts';
import { parseInput } from '../../core/errors/index.ts';
import type { AuditService } from '../audit/index.ts';
import { AnswerFeedback, Conversation, ConversationRating, Lead, Message, parseVisitorId } from '../conversations/index.ts';

/** Which visitor: the widget's sticky visitor id, or the email address they left as a lead. Exactly one. */
export interface VisitorSubject {
  visitorId?: string | null | undefined;
  email?: string | null | undefined;
}

const subjectSchema = z
  .object({
    visitorId: z.string().trim().optional().nullable(),
    email: z.email('must be an email address').max(320).optional().nullable(),
  })
  .refine((s) => (s.visitorId ? 1 : 0) + (s.email ? 1 : 0) === 1, { message: 'give exactly one of visitorId and email' });
/** Field errors name the GraphQL argument's fields: `visitor.email`, `visitor.visitorId`. */
const argumentSchema = z.object({ visitor: subjectSchema });

/**
 * Removes what other modules keep about the visitor, inside the erasing transaction and before the
 * conversations are deleted (provided by the analytics module, which nothing but the app may import).
 */
export type VisitorAnalyticsEraser = (tx: EntityManager, visitor: { tenantId: string; conversationIds: string[]; visitorIds: string[] }) => Promise<void>;

export interface VisitorDataExport {
  exportedAt: Date;
  conversationCount: number;
  messageCount: number;
  leadCount: number;
  feedbackCount: number;
  data: Record<string, unknown>;
}

export interface VisitorErasure {
  conversationCount: number;
  messageCount: number;
  leadCount: number;
  feedbackCount: number;
}

/** The visitor's conversations and their visitor ids: the whole of what is kept about them. */
interface VisitorScope {
  conversations: Conversation[];
  conversationIds: string[];
  visitorIds: string[];
}

/**
 * The GDPR operations on one visitor of the tenant: an export of everything kept about them
 * (conversations, messages, leads, feedback) and its erasure. An email address reaches the conversations
 * whose lead left it and every other conversation of the same widget visitor, so a person who left their
 * address once is found whole. Each runs in one tenant transaction (an erasure is all or nothing) and is
 * audited with counts only: the audit log must not become a copy of what was erased.
 */
export class VisitorPrivacyService {
  constructor(
    private readonly audit: AuditService,
    private readonly eraseAnalytics: VisitorAnalyticsEraser,
  ) {}

  async export(em: EntityManager, actor: TenantActor, subject: VisitorSubject, ip?: string): Promise<VisitorDataExport> {
    const parsed = parseSubject(subject);
    return inTenant(em, actor.tenantId, async (tx) => {
      const scope = await this.scopeOf(tx, actor.tenantId, parsed);
      const ids = { $in: scope.conversationIds };
      const [messages, leads, answerFeedback, ratings] = await Promise.all([
        tx.find(Message, { conversationId: ids }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
        tx.find(Lead, { conversationId: ids }),
        tx.find(AnswerFeedback, { conversationId: ids }, { orderBy: { createdAt: 'asc' } }),
        tx.find(ConversationRating, { conversationId: ids }),
      ]);
      const exportedAt = new Date();
      const feedbackCount = answerFeedback.length + ratings.length;
      this.audit.record(tx, actor.tenantId, {
        action: 'privacy.visitor_exported',
        actor,
        ip,
        metadata: { by: parsed.visitorId ? 'visitorId' : 'email', conversations: scope.conversationIds.length },
      });
      await tx.flush();
      return {
        exportedAt,
        conversationCount: scope.conversations.length,
        messageCount: messages.length,
        leadCount: leads.length,
        feedbackCount,
        data: {
          subject: parsed.visitorId ? { visitorId: parsed.visitorId } : { email: parsed.email },
          exportedAt: exportedAt.toISOString(),
          conversations: scope.conversations.map((conversation) => ({
            id: conversation.id,
            botId: conversation.botId,
            visitorId: conversation.visitorId ?? null,
            hostOrigin: conversation.hostOrigin ?? null,
            startedAt: conversation.createdAt.toISOString(),
            lastMessageAt: conversation.lastMessageAt.toISOString(),
            messages: messages.filter((m) => m.conversationId === conversation.id).map(exportedMessage),
            lead: exportedLead(leads.find((l) => l.conversationId === conversation.id)),
            rating: exportedRating(ratings.find((r) => r.conversationId === conversation.id)),
            answerFeedback: answerFeedback.filter((f) => f.conversationId === conversation.id).map((f) => ({
              messageId: f.messageId, helpful: f.helpful, comment: f.comment ?? null, createdAt: f.createdAt.toISOString(),
            })),
          })),
        },
      };
    });
  }

  /**
   * Deletes the visitor's conversations and with them (foreign keys cascade) their messages, leads,
   * feedback, stored conversation events and per-conversation analytics; analytics keeps its aggregates
   * (VisitorAnalyticsEraser) and webhook deliveries still queued or kept about those conversations go too.
   */
  async erase(em: EntityManager, actor: TenantActor, subject: VisitorSubject, ip?: string): Promise<VisitorErasure> {
    const parsed = parseSubject(subject);
    return inTenant(em, actor.tenantId, async (tx) => {
      const scope = await this.scopeOf(tx, actor.tenantId, parsed);
      const ids = { $in: scope.conversationIds };
      const [messageCount, leadCount, answerFeedback, ratings] = await Promise.all([
        tx.count(Message, { conversationId: ids }),
        tx.count(Lead, { conversationId: ids }),
        tx.count(AnswerFeedback, { conversationId: ids }),
        tx.count(ConversationRating, { conversationId: ids }),
      ]);
      if (scope.conversationIds.length > 0) {
        await this.eraseAnalytics(tx, { tenantId: actor.tenantId, conversationIds: scope.conversationIds, visitorIds: scope.visitorIds });
        await tx.execute(
          `delete from webhook_delivery where tenant_id = ?
             and payload->'data'->>'conversationId' in (select value from jsonb_array_elements_text(?::jsonb))`,
          [actor.tenantId, JSON.stringify(scope.conversationIds)],
        );
        await tx.nativeDelete(Conversation, { id: ids });
      }
      const erased = { conversationCount: scope.conversationIds.length, messageCount, leadCount, feedbackCount: answerFeedback + ratings };
      this.audit.record(tx, actor.tenantId, {
        action: 'privacy.visitor_erased',
        actor,
        ip,
        metadata: { by: parsed.visitorId ? 'visitorId' : 'email', conversations: erased.conversationCount, messages: messageCount, leads: leadCount, feedback: erased.feedbackCount },
      });
      await tx.flush();
      return erased;
    });
  }

  private async scopeOf(tx: EntityManager, tenantId: string, subject: { visitorId: string | null; email: string | null }): Promise<VisitorScope> {
    let visitorIds: string[];
    let leadConversationIds: string[] = [];
    if (subject.visitorId) {
      visitorIds = [subject.visitorId];
    } else {
      // Lead emails are stored as the visitor typed them; addresses compare without case.
      const leads = await tx.execute<{ conversation_id: string; visitor_id: string | null }[]>(
        `select l.conversation_id, c.visitor_id from lead l join conversation c on c.id = l.conversation_id
          where l.tenant_id = ? and lower(l.email) = ?`,
        [tenantId, subject.email],
      );
      leadConversationIds = leads.map((row) => row.conversation_id);
      visitorIds = [...new Set(leads.flatMap((row) => (row.visitor_id ? [row.visitor_id] : [])))];
    }
    const conversations = await tx.find(
      Conversation,
      { $or: [{ visitorId: { $in: visitorIds } }, { id: { $in: leadConversationIds } }] },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return { conversations, conversationIds: conversations.map((c) => c.id), visitorIds };
  }
}

function parseSubject(subject: VisitorSubject): { visitorId: string | null; email: string | null } {
  const { visitor: data } = parseInput(argumentSchema, { visitor: { visitorId: subject.visitorId || null, email: subject.email?.trim() || null } });
  return {
    visitorId: data.visitorId ? parseVisitorId(data.visitorId, 'visitor.visitorId') : null,
    email: data.email ? data.email.toLowerCase() : null,
  };
}

function exportedMessage(message: Message) {
  return {
    id: message.id,
    role: message.role,
    text: message.text,
    ...(message.role === 'AGENT' ? { agentName: message.authorName ?? null } : {}),
    // A handoff notice (conversations/system-notices.ts): what happened, as the partner API lists it.
    ...(message.role === 'SYSTEM' ? { notice: message.notice ?? null } : {}),
    createdAt: message.createdAt.toISOString(),
  };
}

function exportedLead(lead: Lead | undefined) {
  if (!lead) return null;
  return {
    name: lead.name ?? null,
    email: lead.email ?? null,
    phone: lead.phone ?? null,
    wantsContact: lead.wantsContact,
    consentedAt: lead.consentedAt?.toISOString() ?? null,
    createdAt: lead.createdAt.toISOString(),
    updatedAt: lead.updatedAt.toISOString(),
  };
}

function exportedRating(rating: ConversationRating | undefined) {
  if (!rating) return null;
  return { rating: rating.rating, comment: rating.comment ?? null, createdAt: rating.createdAt.toISOString() };
}

import { randomUUID } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { leadCapturedEventSchema, subjects, type LeadCapturedEvent } from '@mascot/events';
import type { TenantActor, VisitorPrincipal } from '../../core/auth/index.ts';
import type { MessageBus } from '../../core/bus/index.ts';
import { inTenant, listInTenant, type KeysetRequest, type Page } from '../../core/db/index.ts';
import { DomainError, parseId, parseInput } from '../../core/errors/index.ts';
import type { DomainEventOutbox } from '../../core/events/index.ts';
import type { Logger } from '../../core/logging/index.ts';
import type { AuditService } from '../audit/index.ts';
import type { BotsService } from '../bots/index.ts';
import { Conversation } from './conversation.entity.ts';
import { contactFormSchema, type ContactFormInput } from './lead-form.ts';
import { Lead } from './lead.entity.ts';
import { pinnedVersionOf } from './pinned-version.ts';
import { extractContactDetails, hasLeadDetails } from './lead-extraction.ts';

/** The visitor message a lead may be captured from. */
export interface LeadSource {
  tenantId: string;
  botId: string;
  conversationId: string;
  messageId: string;
  text: string;
  /** The bot's language, whose region (if any) national phone numbers are read in. */
  language: string;
}

/** What a lead list may be narrowed to; every condition given must hold. */
export interface LeadFilter {
  botId?: string | null;
  /** Captured at or after. */
  from?: Date | null;
  /** Captured before. */
  to?: Date | null;
  wantsContact?: boolean | null;
  /** Marked handled (true) or still open (false). */
  handled?: boolean | null;
}

const leadFilterSchema = z
  .object({ botId: z.string().nullish(), from: z.date().nullish(), to: z.date().nullish(), wantsContact: z.boolean().nullish(), handled: z.boolean().nullish() })
  .refine((f) => !f.from || !f.to || f.from < f.to, { path: ['to'], message: 'must be after from' });

interface LeadRow {
  id: string;
  bot_id: string;
  conversation_id: string;
  has_name: boolean;
  has_email: boolean;
  has_phone: boolean;
  wants_contact: boolean;
  created: boolean;
  updated_at: Date | string;
}

// Page cursors carry JavaScript dates (milliseconds); microsecond timestamps would make keyset
// pagination skip rows created within the same millisecond.
const MILLISECOND_NOW = `date_trunc('milliseconds', now())`;

// New details win over older ones (a visitor correcting their address); the row is only touched
// when something changes, so a repeated address produces no event. `xmax = 0` tells an insert from
// an update. Raw SQL bypasses the ORM's tenant filter, so tenant_id is explicit (RLS checks it too).
const UPSERT_LEAD = `
  insert into lead (id, tenant_id, bot_id, conversation_id, source_message_id, name, email, phone, wants_contact, created_at, updated_at)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ${MILLISECOND_NOW}, ${MILLISECOND_NOW})
  on conflict (conversation_id) do update set
    name = coalesce(excluded.name, lead.name),
    email = coalesce(excluded.email, lead.email),
    phone = coalesce(excluded.phone, lead.phone),
    wants_contact = lead.wants_contact or excluded.wants_contact,
    updated_at = ${MILLISECOND_NOW}
  where (lead.name, lead.email, lead.phone, lead.wants_contact) is distinct from
    (coalesce(excluded.name, lead.name), coalesce(excluded.email, lead.email), coalesce(excluded.phone, lead.phone),
     lead.wants_contact or excluded.wants_contact)
  returning id, bot_id, conversation_id, name is not null as has_name, email is not null as has_email,
    phone is not null as has_phone, wants_contact, (xmax = 0) as created, updated_at`;

// The contact form states the details outright, so they replace what chat messages left (a phone
// number stays when the form leaves it empty), and the visitor's consent is stamped.
const UPSERT_FORM_LEAD = `
  insert into lead (id, tenant_id, bot_id, conversation_id, source_message_id, name, email, phone, wants_contact, consented_at, created_at, updated_at)
  values (?, ?, ?, ?, null, ?, ?, ?, true, ${MILLISECOND_NOW}, ${MILLISECOND_NOW}, ${MILLISECOND_NOW})
  on conflict (conversation_id) do update set
    name = excluded.name,
    email = excluded.email,
    phone = coalesce(excluded.phone, lead.phone),
    wants_contact = true,
    consented_at = excluded.consented_at,
    updated_at = ${MILLISECOND_NOW}
  returning id, bot_id, conversation_id, name is not null as has_name, email is not null as has_email,
    phone is not null as has_phone, wants_contact, (xmax = 0) as created, updated_at`;

/** What a visitor gets back for the contact form: which lead now holds the details. */
export interface ContactDetailsReceipt {
  leadId: string;
  conversationId: string;
}

// A name alone makes no lead, but completes one that exists.
const NAME_EXISTING_LEAD = `
  update lead set name = ?, updated_at = ${MILLISECOND_NOW}
  where tenant_id = ? and conversation_id = ? and name is distinct from ?
  returning id, bot_id, conversation_id, true as has_name, email is not null as has_email,
    phone is not null as has_phone, wants_contact, false as created, updated_at`;

/**
 * Lead capture: contact details or the wish to be contacted in a visitor message make (or complete)
 * the conversation's lead, announced on `subjects.leadCaptured`. Nothing here logs the details.
 */
export class LeadsService {
  constructor(
    private readonly bots: BotsService,
    private readonly bus: MessageBus,
    private readonly logger: Logger,
    private readonly outbox: DomainEventOutbox,
    /** Records who marked leads handled; absent in compositions without an audit log. */
    private readonly audit?: AuditService,
  ) {}

  /**
   * Runs inside the transaction that stores the visitor message. Returns the event to announce once
   * that transaction has committed, or null when the message changed no lead.
   */
  async captureFrom(tx: EntityManager, source: LeadSource): Promise<LeadCapturedEvent | null> {
    const details = extractContactDetails(source.text, { language: source.language });
    let rows: LeadRow[] = [];
    if (hasLeadDetails(details)) {
      rows = await tx.execute<LeadRow[]>(UPSERT_LEAD, [
        randomUUID(), source.tenantId, source.botId, source.conversationId, source.messageId,
        details.name ?? null, details.email ?? null, details.phone ?? null, details.wantsContact,
      ]);
    } else if (details.name) {
      rows = await tx.execute<LeadRow[]>(NAME_EXISTING_LEAD, [details.name, source.tenantId, source.conversationId, details.name]);
    }
    const row = rows[0];
    return row ? this.recordCaptured(tx, source.tenantId, row) : null;
  }

  /**
   * The widget's contact form: the visitor of `conversationId` leaves a name, an e-mail address, maybe
   * a phone number, and agrees to be contacted. Makes or updates the conversation's one lead and
   * announces it like a lead captured from chat. Invalid input is BAD_USER_INPUT with field errors.
   */
  async submitContactForm(
    em: EntityManager,
    visitor: VisitorPrincipal,
    conversationId: string,
    input: ContactFormInput,
  ): Promise<ContactDetailsReceipt> {
    const id = parseId(conversationId, 'conversationId');
    if (visitor.conversationId !== id) throw DomainError.notFound('Conversation');
    const event = await inTenant(em, visitor.tenantId, async (tx) => {
      const details = parseInput(contactFormSchema(await this.languageOf(tx, id)), input);
      const rows = await tx.execute<LeadRow[]>(UPSERT_FORM_LEAD, [
        randomUUID(), visitor.tenantId, visitor.botId, id, details.name, details.email, details.phone,
      ]);
      return this.recordCaptured(tx, visitor.tenantId, rows[0]!);
    });
    await this.announce(event);
    return { leadId: event.leadId, conversationId: id };
  }

  /** The language of the bot version the conversation talks to: phone numbers are read in its region. */
  private async languageOf(tx: EntityManager, conversationId: string): Promise<string> {
    const conversation = await tx.findOne(Conversation, { id: conversationId });
    if (!conversation) throw DomainError.notFound('Conversation');
    return (await pinnedVersionOf(tx, conversation)).bundle.personality.language;
  }

  /** The `lead.captured` domain event for a stored lead row, recorded in the same transaction. */
  private async recordCaptured(tx: EntityManager, tenantId: string, row: LeadRow): Promise<LeadCapturedEvent> {
    const event = leadCapturedEventSchema.parse({
      type: 'LeadCaptured',
      leadId: row.id,
      tenantId,
      botId: row.bot_id,
      conversationId: row.conversation_id,
      created: row.created,
      has: { name: row.has_name, email: row.has_email, phone: row.has_phone },
      wantsContact: row.wants_contact,
      updatedAt: new Date(row.updated_at).toISOString(),
    });
    // The webhook carries ids and which details exist, like the bus event; the details are read through `leads`,
    // or sent to the endpoints an actor allowed to read leads asked for them (webhooks.service.ts, includeLeadDetails).
    const { type: _type, tenantId: _tenant, ...data } = event;
    const leadDetails = async () => {
      const lead = await tx.findOneOrFail(Lead, { id: row.id }, { refresh: true });
      return { name: lead.name, email: lead.email, phone: lead.phone, wantsContact: lead.wantsContact, consentedAt: lead.consentedAt?.toISOString() ?? null };
    };
    await this.outbox.record(tx, tenantId, { type: 'lead.captured', data, leadDetails });
    return event;
  }

  /** Announces a captured lead; a bus failure is logged (ids only) and does not undo the stored lead. */
  async announce(event: LeadCapturedEvent): Promise<void> {
    try {
      await this.bus.publish(subjects.leadCaptured(event.tenantId), event);
    } catch (error) {
      this.logger.warn({ err: error, leadId: event.leadId }, 'could not announce a captured lead');
    }
  }

  /** The tenant's leads, or one bot's, newest first, narrowed by `filter`. Another tenant's bot is NOT_FOUND. */
  async list(em: EntityManager, tenantId: string, filter: LeadFilter, page: KeysetRequest): Promise<Page<Lead>> {
    const f = parseInput(leadFilterSchema, filter);
    const botId = f.botId ? parseId(f.botId, 'botId') : undefined;
    const where = () => ({
      ...(botId ? { botId } : {}),
      ...(f.wantsContact != null ? { wantsContact: f.wantsContact } : {}),
      ...(f.handled != null ? { handledAt: f.handled ? { $ne: null } : null } : {}),
      ...(f.from || f.to ? { createdAt: { ...(f.from ? { $gte: f.from } : {}), ...(f.to ? { $lt: f.to } : {}) } } : {}),
    });
    return listInTenant(em, tenantId, { entity: Lead, where, ...(botId ? { check: (tx: EntityManager) => this.bots.get(tx, botId) } : {}) }, page);
  }

  /**
   * Marks a lead handled (or open again): when and by whom, audited. Marking it as it already is changes
   * nothing, so a second click or a retried request keeps the first handler and time.
   */
  async markHandled(em: EntityManager, actor: TenantActor, leadId: string, handled: boolean, ip?: string): Promise<Lead> {
    const id = parseId(leadId, 'id');
    return inTenant(em, actor.tenantId, async (tx) => {
      const lead = await tx.findOne(Lead, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!lead) throw DomainError.notFound('Lead');
      if ((lead.handledAt !== null) === handled) return lead;
      lead.handledAt = handled ? new Date() : null;
      lead.handledByUserId = handled && actor.kind === 'user' ? actor.userId : null;
      lead.handledByApiKeyId = handled && actor.kind === 'apiKey' ? actor.keyId : null;
      this.audit?.record(tx, actor.tenantId, { action: handled ? 'lead.handled' : 'lead.reopened', actor, target: { type: 'lead', id }, ip });
      await tx.flush();
      return lead;
    });
  }
}

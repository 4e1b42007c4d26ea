import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '../../core/db/index.ts';

/**
 * A visitor who left contact details or asked to be contacted: one per conversation, completed as
 * further details arrive. This is the one place contact details are meant to be kept; they stay out
 * of logs and bus events.
 */
export const Lead = defineEntity({
  name: 'Lead',
  tableName: 'lead',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    botId: p.uuid(),
    conversationId: p.uuid().unique(),
    /** The visitor message that created the lead; null when it came from the widget's contact form. */
    sourceMessageId: p.uuid().nullable(),
    name: p.string().nullable(),
    email: p.string().nullable(),
    phone: p.string().nullable(),
    wantsContact: p.boolean().default(false),
    /** When the visitor agreed, in the widget's contact form, to be contacted; null for details given in chat. */
    consentedAt: p.datetime().nullable(),
    /** When a member or API key marked the lead handled (markLeadHandled); null while it is open. */
    handledAt: p.datetime().nullable(),
    handledByUserId: p.uuid().nullable(),
    handledByApiKeyId: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Lead = InferEntity<typeof Lead>;

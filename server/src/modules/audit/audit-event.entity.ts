import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '../../core/db/index.ts';

export type AuditActorType = 'user' | 'api_key' | 'visitor' | 'system';

/** One security-relevant action, kept for owners and admins to review. */
export const AuditEvent = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_event',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    actorType: p.string().$type<AuditActorType>(),
    actorId: p.uuid().nullable(),
    action: p.string(),
    targetType: p.string().nullable(),
    targetId: p.uuid().nullable(),
    ip: p.string().nullable(),
    metadata: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type AuditEvent = InferEntity<typeof AuditEvent>;

import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '../../core/db/index.ts';
import type { MembershipRole } from '../../core/auth/index.ts';

/** A single-use invitation into a tenant; only the hash of its token is stored. */
export const Invitation = defineEntity({
  name: 'Invitation',
  tableName: 'invitation',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    email: p.string(),
    role: p.string().$type<Exclude<MembershipRole, 'owner'>>(),
    tokenHash: p.string().unique(),
    invitedBy: p.uuid().nullable(),
    expiresAt: p.datetime(),
    acceptedAt: p.datetime().nullable(),
    acceptedBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Invitation = InferEntity<typeof Invitation>;

import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { MembershipRole } from '../../core/auth/index.ts';
import { tenantFilter } from '../../core/db/index.ts';

export const Membership = defineEntity({
  name: 'Membership',
  tableName: 'membership',
  filters: tenantFilter,
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    userId: p.uuid(),
    role: p.string().$type<MembershipRole>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Membership = InferEntity<typeof Membership>;

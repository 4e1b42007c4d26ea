import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { PlanId } from './plans.ts';

/** An organisation using Mascot. Its id is the `tenant_id` every tenant-owned row carries. */
export const Tenant = defineEntity({
  name: 'Tenant',
  tableName: 'tenant',
  properties: {
    id: p.uuid().primary(),
    name: p.string(),
    plan: p.string().$type<PlanId>().default('free'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Tenant = InferEntity<typeof Tenant>;

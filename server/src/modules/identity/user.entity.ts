import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A person who signs in. Not tenant-owned: one user can belong to several tenants through memberships. */
export const User = defineEntity({
  name: 'User',
  tableName: 'app_user',
  properties: {
    id: p.uuid().primary(),
    email: p.string().unique(),
    passwordHash: p.text().hidden().lazy(),
    /** Operators of the Mascot installation (cross-tenant views); never set through the API. */
    isPlatformAdmin: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type User = InferEntity<typeof User>;

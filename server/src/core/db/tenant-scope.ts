import type { EntityManager } from '@mikro-orm/postgresql';
import { withTransactionTenant } from './transaction-scope.ts';

/** Name of the MikroORM filter every tenant-owned entity declares. */
export const TENANT_FILTER = 'tenant';

/**
 * Runs `work` in a transaction bound to one tenant: the Postgres setting `mascot.tenant_id`
 * (transaction-local, for row-level security policies) and the ORM's tenant filter are both set,
 * so every query inside is scoped twice. Services receive the transactional EntityManager and never
 * open their own.
 */
export async function inTenant<T>(em: EntityManager, tenantId: string, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return withTransactionTenant(tenantId, (openedScoped) =>
    em.transactional(async (tx) => {
      // Normally the transaction's opening message already set the tenant (transaction-scope.ts); a
      // nested inTenant (a savepoint, no new opening) or a tenant id that is not a UUID sets it here.
      if (!openedScoped()) await tx.execute(`select set_config('mascot.tenant_id', ?, true)`, [tenantId]);
      tx.setFilterParams(TENANT_FILTER, { tenantId });
      return work(tx);
    }),
  );
}

/** The filter definition tenant-owned entities spread into their `filters`. */
export const tenantFilter = {
  [TENANT_FILTER]: {
    name: TENANT_FILTER,
    cond: (args: { tenantId: string }) => ({ tenantId: args.tenantId }),
    default: true,
  },
};

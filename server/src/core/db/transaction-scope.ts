import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { isUuid } from '../errors/index.ts';
import { assertRoleName } from './side-reads.ts';

/**
 * Opens every ORM transaction in **one round trip** with its role and tenant already set.
 *
 * Kysely (under MikroORM) opens a transaction with a bare `begin` (or `start transaction …`); `inTenant`
 * then set the tenant in a second round trip. Here the pool's client class rewrites that opening
 * statement into `begin; set local role <app role>; select set_config('mascot.tenant_id', …, true)`, one
 * simple-protocol message, taking the tenant from the `inTenant` call it runs under
 * (AsyncLocalStorage, which async/await carries through MikroORM, Kysely and pg-pool). Why:
 * - the hot path: each exchange opens about eight tenant transactions; one round trip fewer each
 *   (issue 13);
 * - a pooler in transaction mode (PgBouncer): role and tenant are transaction-local, so they hold on
 *   whichever server connection the pooler lends for this transaction. The connection-level `set role`
 *   (orm.ts) stays for statements run outside a transaction on a direct connection.
 *
 * The simple protocol takes no parameters, so the tenant is inlined: only ever a UUID this process
 * validated (`isUuid`), the role an identifier checked at start.
 */
interface TransactionScope {
  tenantId: string;
  /** Set by the client when the transaction's opening statement carried the tenant. */
  applied: boolean;
}

const scope = new AsyncLocalStorage<TransactionScope>();

const OPENING = /^(begin|start transaction( isolation level [a-z ]+?)?( read only| read write)?)$/i;

/** Runs `work` with `tenantId` as the tenant of the transaction it opens; returns whether the opening carried it. */
export function withTransactionTenant<T>(tenantId: string, work: (scoped: () => boolean) => Promise<T>): Promise<T> {
  const state: TransactionScope = { tenantId, applied: false };
  return scope.run(state, () => work(() => state.applied));
}

/** A pg client class whose transactions open with `role` and the current tenant in the same message. */
export function scopedTransactionClient(role: string): typeof pg.Client {
  assertRoleName(role);
  class ScopedTransactionClient extends pg.Client {
    // pg's overloads are many; Kysely always calls query(text, values).
    override query(...args: unknown[]): never {
      const [text, values] = args;
      if (typeof text === 'string' && OPENING.test(text) && (values === undefined || (Array.isArray(values) && values.length === 0))) {
        args[0] = openingWithScope(text, role);
      }
      return (super.query as (...a: unknown[]) => never)(...args);
    }
  }
  return ScopedTransactionClient;
}

function openingWithScope(opening: string, role: string): string {
  const state = scope.getStore();
  const statements = [opening, `set local role ${role}`];
  if (state && !state.applied && isUuid(state.tenantId)) {
    statements.push(`select set_config('mascot.tenant_id', '${state.tenantId}', true)`);
    state.applied = true;
  }
  return statements.join('; ');
}

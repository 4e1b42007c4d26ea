import { randomUUID } from 'node:crypto';
import { inTenant, type MikroORM } from '../db/index.ts';

/** Whose key it is: keys are the caller's own, kept apart per tenant and per caller within it. */
export interface IdempotencyScope {
  tenantId: string;
  /** `user:<id>`, `apiKey:<id>` or `visitor:<conversation id>`. */
  caller: string;
  key: string;
}

export type IdempotencyClaim =
  /** This request holds the key: execute, then `complete` or `release` with the token. */
  | { kind: 'claimed'; token: string }
  /** The key's first request finished: answer with its response. */
  | { kind: 'replay'; status: number; body: string }
  /** The key's first request is still running (or its claim is not yet visible). */
  | { kind: 'in-flight' }
  /** The key was used for a different request. */
  | { kind: 'reused' };

interface ClaimRow {
  claim: string;
  fingerprint: string;
  response_status: number | null;
  response_body: string | null;
}

/**
 * One statement: claim the key (a new row; an expired one; or a claim whose request's lease ran out, e.g. its
 * instance died, when the request is the same), or else read the row that holds it. The read uses the
 * statement's snapshot: a claim committed concurrently is not in it, and no row comes back (in flight).
 */
const CLAIM = `
  with claimed as (
    insert into idempotency_key as k (tenant_id, caller, key, fingerprint, claim, locked_until, expires_at)
    values (?, ?, ?, ?, ?, now() + make_interval(secs => ?), now() + make_interval(secs => ?))
    on conflict (tenant_id, caller, key) do update
      set fingerprint = excluded.fingerprint, claim = excluded.claim, locked_until = excluded.locked_until,
          response_status = null, response_body = null, created_at = now(), expires_at = excluded.expires_at
      where k.expires_at <= now()
         or (k.response_status is null and k.locked_until <= now() and k.fingerprint = excluded.fingerprint)
    returning k.claim, k.fingerprint, k.response_status, k.response_body
  )
  select claim, fingerprint, response_status, response_body from claimed
  union all
  select claim, fingerprint, response_status, response_body from idempotency_key
   where tenant_id = ? and caller = ? and key = ? and not exists (select 1 from claimed)`;

/** Idempotency keys in `idempotency_key` (Migration20261207210500IdempotencyKeys), under the tenant's row-level security. */
export class IdempotencyStore {
  constructor(
    private readonly orm: MikroORM,
    private readonly options: {
      /** How long a key is remembered (the draft leaves it to the server; 24 h like the big APIs). */
      ttlS: number;
      /** How long a claim holds without a response before another request with the key may take it over. */
      leaseS: number;
    },
  ) {}

  async claim(scope: IdempotencyScope, fingerprint: string): Promise<IdempotencyClaim> {
    const token = randomUUID();
    const { tenantId, caller, key } = scope;
    const [row] = await inTenant(this.orm.em.fork(), tenantId, (tx) =>
      tx.execute<ClaimRow[]>(CLAIM, [tenantId, caller, key, fingerprint, token, this.options.leaseS, this.options.ttlS, tenantId, caller, key]),
    );
    if (!row) return { kind: 'in-flight' };
    if (row.claim === token) return { kind: 'claimed', token };
    if (row.fingerprint !== fingerprint) return { kind: 'reused' };
    if (row.response_status === null || row.response_body === null) return { kind: 'in-flight' };
    return { kind: 'replay', status: row.response_status, body: row.response_body };
  }

  /** Stores the response of the claimed request, for retries to replay until the key expires. */
  async complete(scope: IdempotencyScope, token: string, response: { status: number; body: string }): Promise<void> {
    await inTenant(this.orm.em.fork(), scope.tenantId, (tx) =>
      tx.execute(
        `update idempotency_key set response_status = ?, response_body = ?, locked_until = null
          where tenant_id = ? and caller = ? and key = ? and claim = ?`,
        [response.status, response.body, scope.tenantId, scope.caller, scope.key, token],
      ),
    );
  }

  /** Gives the key up (the request failed in a way a retry may not): the next request with it executes. */
  async release(scope: IdempotencyScope, token: string): Promise<void> {
    await inTenant(this.orm.em.fork(), scope.tenantId, (tx) =>
      tx.execute(`delete from idempotency_key where tenant_id = ? and caller = ? and key = ? and claim = ?`, [
        scope.tenantId, scope.caller, scope.key, token,
      ]),
    );
  }

  /** Deletes expired keys of every tenant (a SECURITY DEFINER function: no tenant is set); returns how many. */
  async purgeExpired(): Promise<number> {
    const [row] = await this.orm.em.fork().execute<{ purged: number }[]>('select mascot_purge_idempotency_keys() as purged');
    return row?.purged ?? 0;
  }
}

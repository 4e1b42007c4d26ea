import pg from 'pg';
import { isUuid } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';

/**
 * A small connection pool of its own for tenant-scoped reads that run *beside* a transaction the
 * caller already holds (retrieval's full-text search next to its vector search, issue 13), and for
 * single hot-path writes that need no transaction of the caller's (`writeInOneTrip`).
 *
 * Separate from the ORM's pool on purpose: a request that holds an ORM connection and waits for a
 * second one from the same pool deadlocks once every connection is held that way (many replies
 * loading their context at once). Waiting here never blocks anyone holding one of these.
 *
 * Each read is its own short transaction as the application role with the tenant set, exactly like
 * `inTenant`, so row-level security applies as everywhere else. Not for embedded PGlite: it has one
 * backend and runs one transaction at a time, so a read beside an open transaction would wait for it.
 */
export interface SideReadsOptions {
  url: string;
  /** The role every application connection uses (subject to row-level security). */
  appRole: string;
  /** Connections; a read waits when all are busy. */
  size: number;
  logger?: Logger;
}

/** A role name that may be written into SQL unquoted (checked once, at start). */
export function assertRoleName(role: string): void {
  if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`Invalid role name ${JSON.stringify(role)}`);
}

export class SideReads {
  private readonly pool: pg.Pool;

  constructor(private readonly options: SideReadsOptions) {
    assertRoleName(options.appRole);
    this.pool = new pg.Pool({ connectionString: options.url, max: options.size });
    // An idle connection that the server closes must not crash the process; the next read reconnects.
    this.pool.on('error', (error) => options.logger?.warn({ err: error }, 'an idle side-read connection failed'));
  }

  /** Runs `sql` (with `?` placeholders, as the ORM's `execute`) in a read-only transaction of the tenant. */
  async query<T>(tenantId: string, sql: string, params: readonly unknown[]): Promise<T[]> {
    // Interpolated into the transaction's opening statement (one round trip): only ever a UUID.
    const tenant = inlineUuid(tenantId);
    const client = await this.pool.connect();
    let healthy = true;
    try {
      await client.query(`begin read only; set local role ${this.options.appRole}; select set_config('mascot.tenant_id', ${tenant}::text, true)`);
      const result = await client.query(toNumberedPlaceholders(sql), params as unknown[]);
      await client.query('commit');
      return result.rows as T[];
    } catch (error) {
      await client.query('rollback').catch(() => {
        healthy = false; // the connection is broken: drop it rather than return it to the pool
      });
      throw error;
    } finally {
      client.release(!healthy);
    }
  }

  /**
   * One statement written in the tenant's scope in **one round trip**: role, tenant and statement go as
   * one simple-protocol message, which PostgreSQL runs as a single implicit transaction (committed at its
   * end, rolled back on error; `set local` and `set_config(…, true)` last exactly that long). On the hot
   * path (a reply's seq lease, every reply) this replaces an ORM transaction's four round trips (begin,
   * tenant, statement, commit). The simple protocol takes no parameters, so `statement` must be built
   * only from values this process validated (`inlineUuid`, integers) — never from user text.
   */
  async writeInOneTrip<T>(tenantId: string, statement: string): Promise<T[]> {
    const client = await this.pool.connect();
    try {
      const results = (await client.query(
        `set local role ${this.options.appRole}; select set_config('mascot.tenant_id', ${inlineUuid(tenantId)}::text, true); ${statement}`,
      )) as unknown as pg.QueryResult[];
      return results.at(-1)!.rows as T[];
    } finally {
      client.release();
    }
  }

  /** A read in the tenant's scope in one round trip, built like `writeInOneTrip`'s statement (validated values only). */
  readInOneTrip<T>(tenantId: string, statement: string): Promise<T[]> {
    return this.writeInOneTrip<T>(tenantId, statement);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** A UUID as an SQL literal, for statements sent without parameters; anything else throws. */
export function inlineUuid(value: string): string {
  if (!isUuid(value)) throw new Error('Invalid id');
  return `'${value}'::uuid`;
}

/** `?` → `$1`, `$2`, … (the SQL given here has no other question marks). */
function toNumberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

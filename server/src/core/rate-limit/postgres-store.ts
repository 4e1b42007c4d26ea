/** The part of a `pg` client the store uses. */
export interface PgPoolClient {
  query(config: { text: string; values?: unknown[] }): Promise<{ rows: any[]; rowCount: number | null }>;
  release(error?: Error | boolean): void;
}

/** The part of a `pg` Pool the store uses; MikroORM's `orm.em.getConnection().getNativeClient()` is one. */
export interface PgPool {
  connect(): Promise<PgPoolClient>;
}

/** What rate-limiter-flexible's RateLimiterPostgres calls with `storeType: 'pool'`. */
export interface RateLimitStoreClient {
  query(query: { text: string; values?: unknown[]; name?: string }): Promise<{ rows: any[]; rowCount: number | null }>;
}

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Adapts a `pg` Pool for rate-limiter-flexible, fixing two things it would otherwise get wrong here.
 *
 * Role: `pool.query()` on the ORM's pool would run on connections MikroORM has not yet prepared
 * (its `set role` runs when kysely first acquires a connection), that is as the login that owns the
 * schema. So every connection switches to `appRole` before its first rate-limit query.
 *
 * Statement names: the library names its prepared statements (`rate_limit:rlflx-upsert`). Embedded
 * PGlite serves all pooled connections from one backend, where the second connection preparing
 * the same name fails with "prepared statement already exists" (42P05, seen with pglite-socket
 * 0.2.17); transaction-mode poolers without prepared-statement support (PgBouncer before 1.21) fail
 * the same way. Queries run unnamed instead: re-planning a one-row upsert costs microseconds.
 */
export function createPostgresStoreClient(
  pool: PgPool,
  options: { appRole?: string | undefined; onError?: ((error: unknown) => void) | undefined } = {},
): RateLimitStoreClient {
  const switched = new WeakSet<PgPoolClient>();
  return {
    async query({ text, values }) {
      try {
        const client = await pool.connect();
        try {
          if (options.appRole && !switched.has(client)) {
            await client.query({ text: `set role ${quoteIdentifier(options.appRole)}` });
            switched.add(client);
          }
          return await client.query({ text, values: values ?? [] });
        } finally {
          // pg-pool discards a client whose connection broke; a failed statement leaves it usable.
          client.release();
        }
      } catch (error) {
        options.onError?.(error);
        throw error;
      }
    },
  };
}

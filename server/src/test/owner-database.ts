import pg from 'pg';

/**
 * A few connections per database, kept between reads: tests check what got written after nearly every
 * step, and a new connection per read (a backend start each) made up a large part of some suites' time.
 */
const pools = new Map<string, pg.Pool>();

function poolFor(databaseUrl: string): pg.Pool {
  let pool = pools.get(databaseUrl);
  if (!pool) {
    pool = new pg.Pool({ connectionString: databaseUrl, max: 2, idleTimeoutMillis: 5_000, allowExitOnIdle: true });
    // A server stopping closes its database under idle connections; the pool drops them and reconnects.
    pool.on('error', () => {});
    pools.set(databaseUrl, pool);
  }
  return pool;
}

/**
 * Reads the database as its owner, past row-level security, to check what really got written.
 * `set local role none` undoes the app role for this transaction only: embedded PGlite has one
 * backend shared by all connections, so a session-level change would leak into the server's queries.
 */
export async function ownerQuery<T = Record<string, any>>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = await poolFor(databaseUrl).connect();
  let failed = false;
  try {
    await client.query('begin');
    await client.query('set local role none');
    const result = await client.query(sql, params);
    await client.query('commit');
    return result.rows as T[];
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // A connection whose transaction failed is not handed to the next read.
    client.release(failed);
  }
}

/** Closes the connections ownerQuery keeps to this database (before it is dropped or its server stops). */
export async function closeOwnerConnections(databaseUrl: string | undefined): Promise<void> {
  const pool = databaseUrl ? pools.get(databaseUrl) : undefined;
  if (!pool) return;
  pools.delete(databaseUrl!);
  await pool.end();
}

import pg from 'pg';
import type { Logger } from '../logging/index.ts';

/**
 * One key for every installation's migrations in a database: instances of one installation share it, and
 * two installations never share a database. `hashtextextended` turns the readable name into the bigint
 * PostgreSQL's advisory locks take.
 */
const LOCK_KEY_SQL = `hashtextextended('mascot.migrations', 0)`;

/**
 * Runs `migrate` while holding a PostgreSQL advisory lock, so instances starting at once (a rolling deploy,
 * a scaled-out Deployment) apply each migration exactly once: the first takes the lock and migrates, the
 * others wait for it and then find nothing left to apply (issue 20).
 *
 * The lock is transaction-scoped (`pg_advisory_xact_lock`) and held by an open transaction on a connection
 * of its own, not a session lock: behind PgBouncer in transaction mode a session lock could be taken on one
 * server connection and released on another, while an open transaction keeps its server connection until it
 * ends. The transaction does nothing else; the migrations run on the ORM's connection beside it. If this
 * process dies, its connection closes and PostgreSQL releases the lock with it.
 */
export async function withMigrationLock<T>(url: string, logger: Logger, migrate: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'mascot-migration-lock' });
  await client.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ locked: boolean }>(`select pg_try_advisory_xact_lock(${LOCK_KEY_SQL}) as locked`);
    if (!rows[0]!.locked) {
      logger.info('another instance is applying migrations; waiting for it');
      await client.query(`select pg_advisory_xact_lock(${LOCK_KEY_SQL})`);
    }
    try {
      return await migrate();
    } finally {
      await client.query('commit');
    }
  } finally {
    await client.end();
  }
}

import pg from 'pg';

/**
 * Reads the database as its owner, past row-level security, to check what really got written.
 * `set local role none` undoes the app role for this transaction only: embedded PGlite has one
 * backend shared by all connections, so a session-level change would leak into the server's queries.
 */
export async function ownerQuery<T = Record<string, any>>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('set local role none');
    const result = await client.query(sql, params);
    await client.query('commit');
    return result.rows as T[];
  } finally {
    await client.end();
  }
}

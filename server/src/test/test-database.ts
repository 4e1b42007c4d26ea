import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migratedTemplate } from './migrated-database.ts';
import { closeOwnerConnections } from './owner-database.ts';

export interface TestDatabase {
  /** Undefined in embedded mode: the server then starts its own in-memory PGlite. */
  url: string | undefined;
  drop(): Promise<void>;
}

/**
 * Each test file owns its database so files run in parallel without sharing rows. Against a real
 * PostgreSQL (DATABASE_URL set) a fresh database is created and dropped afterwards — a copy of the
 * run's migrated template when global-setup.ts made one; without one the server's embedded in-memory
 * PGlite is already private to the test.
 */
export async function createTestDatabase(baseUrl: string | undefined, options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  if (!baseUrl) return { url: undefined, drop: async () => {} };
  const run = migratedTemplate();
  const name = `${run?.testDatabasePrefix ?? 'mascot_test_'}${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    // `migrated: false`: an empty database, as a first deployment meets it (concurrent-migrations.int.test.ts).
    const template = options.migrated === false ? undefined : run?.name;
    await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await closeOwnerConnections(url.toString());
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        // A pool's end() resolves once it has asked its connections to close, not once they have;
        // forcing the drop while they linger would send them a FATAL error nobody listens for.
        for (let attempt = 0; attempt < 50; attempt++) {
          const { rows } = await client.query<{ open: number }>(
            'select count(*)::int as open from pg_stat_activity where datname = $1',
            [name],
          );
          if (rows[0]!.open === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

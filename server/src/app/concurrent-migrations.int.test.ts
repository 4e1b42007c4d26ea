import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withMigrationLock } from '../core/db/index.ts';
import { migrations } from '../migrations/index.ts';
import { ownerQuery } from '../test/owner-database.ts';
import { createTestDatabase, type TestDatabase } from '../test/test-database.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';

/*
 * Issue 20: a rolling deploy or a scaled-out Deployment starts several instances against a database at once.
 * Each migration must be applied exactly once: the first instance to take the advisory lock migrates, the others
 * wait for it and find nothing left to apply (core/db/migration-lock.ts).
 */

// The embedded PGlite belongs to the one process that opened its data directory: several instances always share
// a real PostgreSQL, so this runs where DATABASE_URL is set (CI's main pass).
const baseUrl = process.env['DATABASE_URL'] || undefined;

describe.skipIf(!baseUrl)('migrations when several instances start at once', { timeout: 180_000 }, () => {
  let database: TestDatabase;
  const servers: TestServer[] = [];
  const logs: Record<string, unknown>[][] = [[], [], []];

  beforeAll(async () => {
    database = await createTestDatabase(baseUrl, { migrated: false });
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database?.drop();
  });

  it('holds the lock for one migrator at a time; the next waits until the first has finished', async () => {
    const order: string[] = [];
    let releaseFirst!: () => void;
    const firstMayFinish = new Promise<void>((resolve) => (releaseFirst = resolve));
    const logger = pino({ level: 'silent' });
    const first = withMigrationLock(database.url!, logger, async () => {
      order.push('first started');
      await firstMayFinish;
      order.push('first finished');
    });
    await vi.waitFor(() => expect(order).toEqual(['first started']));
    const second = withMigrationLock(database.url!, logger, async () => {
      order.push('second started');
    });
    // The second is blocked in PostgreSQL on the lock, not merely slow.
    await vi.waitFor(async () => {
      const waiting = await ownerQuery<{ n: number }>(
        database.url!,
        `select count(*)::int as n from pg_stat_activity where application_name = 'mascot-migration-lock' and wait_event_type = 'Lock'`,
      );
      expect(waiting[0]!.n).toBe(1);
    });
    expect(order).toEqual(['first started']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['first started', 'first finished', 'second started']);
  });

  it('applies each migration once when three servers start together on a fresh database', async () => {
    const started = await Promise.allSettled(
      logs.map((lines) =>
        startTestServer(
          { DATABASE_URL: database.url! },
          { logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }) },
        ),
      ),
    );
    for (const result of started) if (result.status === 'fulfilled') servers.push(result.value);
    expect(started.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);

    const rows = await ownerQuery<{ name: string }>(database.url!, 'select name from mikro_orm_migrations order by id');
    expect(rows).toHaveLength(migrations.length);
    expect(new Set(rows.map((row) => row.name)).size).toBe(migrations.length);

    // One instance applied them all; the other two applied none.
    const applied = logs.map((lines) => lines.filter((line) => line['msg'] === 'applied migrations').flatMap((line) => line['migrations'] as string[]));
    expect(applied.map((names) => names.length).sort((a, b) => a - b)).toEqual([0, 0, migrations.length]);

    for (const server of servers) expect((await fetch(new URL('/readyz', server.graphqlUrl))).status).toBe(200);
  });
});

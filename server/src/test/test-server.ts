import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMascotServer, type MascotServer, type StartOptions } from '../app/create-server.ts';
import { loadConfig } from '../core/config/index.ts';
import { migratedSnapshot } from './migrated-database.ts';
import { closeOwnerConnections } from './owner-database.ts';
import { createTestDatabase } from './test-database.ts';

export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-characters-long';

export interface TestServer extends MascotServer {
  /** Stops the server and removes its database and data directory. */
  stop(): Promise<void>;
}

/**
 * A real server on a random port: real PostgreSQL and NATS when DATABASE_URL / NATS_URL are set
 * (CI), the embedded in-memory PGlite and in-process bus otherwise.
 */
// Reading the environment here is the harness's job: it decides which real services the test uses.
const testEnv = process.env;

export async function startTestServer(
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<TestServer> {
  // A caller naming the database (a second instance sharing the first one's) gets none of its own: creating
  // one nobody used, and dropping it, cost a forced checkpoint each.
  const database = 'DATABASE_URL' in env
    ? { url: undefined, drop: async () => {} }
    : await createTestDatabase(testEnv['DATABASE_URL'] || undefined);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mascot-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    MASCOT_DATA_DIR: dataDir,
    MASCOT_JWT_SECRET: TEST_JWT_SECRET,
    MASCOT_SEED_DEMO: 'false',
    MASCOT_OFFLINE_TOKEN_DELAY_MS: '0',
    // Each test server has its own database, so its jobs must not reach another server's consumers.
    MASCOT_JOBS_NAMESPACE: `t${randomBytes(6).toString('hex')}`,
    LOG_LEVEL: testEnv['LOG_LEVEL'] ?? 'silent',
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    ...(testEnv['NATS_URL'] ? { NATS_URL: testEnv['NATS_URL'] } : {}),
    ...env,
  });
  // Whole suites run from one IP in seconds; the rate-limit tests set tight limits themselves.
  const generous = { points: 1_000_000, durationS: 60 };
  const snapshot = database.url || env['DATABASE_URL'] ? undefined : await migratedSnapshot();
  const server = await startMascotServer(config, {
    embeddedStorage: 'memory',
    ...(snapshot ? { embeddedSnapshot: snapshot } : {}),
    rateLimits: { perIp: generous, perApiKey: generous, perTenant: generous, loginPerIp: generous },
    // Likewise the plans' visitor budgets; visitor-budgets.int.test.ts turns them on.
    visitorBudgets: false,
    ...options,
  });
  return {
    ...server,
    async stop() {
      await closeOwnerConnections(server.databaseUrl);
      await server.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

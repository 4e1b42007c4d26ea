import { randomBytes } from 'node:crypto';
import type { StartOptions } from '../app/create-server.ts';
import { startTestServer, type TestServer } from './test-server.ts';

export interface TestCluster {
  /** Two instances of one installation: one database, one NATS, one jobs namespace. */
  instances: [TestServer, TestServer];
  stop(): Promise<void>;
}

// Reading the environment here is the harness's job: it decides which real services the test uses.
const testEnv = process.env;

/** Two instances need a real PostgreSQL and NATS; embedded PGlite is one session per process. */
export const clusterServicesAvailable = Boolean(testEnv['DATABASE_URL'] && testEnv['NATS_URL']);

/**
 * Two servers in this process sharing what instances of one installation share: a fresh PostgreSQL
 * database and NATS (DATABASE_URL and NATS_URL), each instance on its own connections. Embedded mode
 * cannot host two: PGlite serves every connection from one backend session, whose `set role` the
 * first server's pool already made, so the second could not even migrate.
 */
export async function startTestCluster(env: Record<string, string> = {}, options: StartOptions = {}): Promise<TestCluster> {
  if (!clusterServicesAvailable) throw new Error('startTestCluster needs DATABASE_URL and NATS_URL.');
  const shared = { MASCOT_JOBS_NAMESPACE: `c${randomBytes(6).toString('hex')}`, ...env };
  const first = await startTestServer(shared, options);
  // After the first: both would otherwise race to apply the migrations.
  const second = await startTestServer({ ...shared, DATABASE_URL: first.databaseUrl }, options).catch(async (error: unknown) => {
    await first.stop();
    throw error;
  });
  return {
    instances: [first, second],
    async stop() {
      // The second is connected to the first's database, which the first drops: it goes first.
      await second.stop();
      await first.stop();
    },
  };
}

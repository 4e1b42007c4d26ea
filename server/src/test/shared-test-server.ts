import { startTestServer, type TestServer } from './test-server.ts';

/**
 * One server per test worker for the files that need nothing of a server but its API: each of them signs
 * up tenants of its own and asserts only on what those tenants see. A server of its own cost such a file
 * a start (the GraphQL schema, the ORM's metadata, NATS consumers: 1.5–3 s warm) and a database created
 * and dropped; the integration and browser projects run with `isolate: false`, so a worker's module cache,
 * and with it this server, outlives each file.
 *
 * Not for files that stop, restart or reconfigure the server (pass `env` and they get one started for that
 * configuration, replacing the worker's previous one), install database objects, count rows across the
 * whole database, or read process-wide counters without a before/after: those start their own with
 * `startTestServer`.
 *
 * Never stopped by a test file. The worker's exit closes its connections; global-setup.ts's teardown drops
 * the run's databases, this one included.
 */
let current: { key: string; server: Promise<TestServer> } | undefined;

export function sharedTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const key = JSON.stringify(Object.entries(env).sort(([a], [b]) => a.localeCompare(b)));
  if (current?.key === key) return current.server;
  const previous = current?.server;
  const server = (async () => {
    // Started lazily and swapped whole: a file asking for another configuration must not see the old one.
    await previous?.then((old) => old.stop(), () => undefined);
    return startTestServer(env);
  })();
  current = { key, server };
  // A failed start is not handed to the next file: it tries again.
  server.catch(() => {
    if (current?.server === server) current = undefined;
  });
  return server;
}

import { createRequire } from 'node:module';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * What the projects that start real servers share. `isolate: false`: the files a worker runs share its module
 * cache instead of importing the whole server (Apollo, type-graphql, MikroORM, every module) afresh per file;
 * the imports were about a third of the integration project's time (measured in .ci/run: unit + integration
 * 520 s isolated, 276 s shared). Each test file still gets its own module scope; shared
 * modules must not keep per-test state (the test harness's caches are keyed by database URL); the one
 * thing a worker keeps on purpose is its shared server (server/src/test/shared-test-server.ts).
 */
const serverProject = { testTimeout: 60_000, hookTimeout: 120_000, isolate: false };

/**
 * The embedded pass of CI: the integration files that exercise what differs between the two deployments,
 * instead of the whole integration project a second time. What differs: PGlite and its wire protocol
 * (one backend behind a socket server, core/db/embedded-postgres.ts), the in-process bus and job queue,
 * the paths taken without side-read connections (seq leases and full-text search through the ORM), and
 * counting rate limits alone. Files that force embedded mode themselves (embedded-persistence,
 * quick-start) already run in the main pass. Coverage of the embedded-only code under this list against
 * the whole project: README, Tests.
 */
const EMBEDDED_DIFFERENCES = [
  'server/src/core/db/embedded-postgres.int.test.ts', // the wire-protocol queue fix, interleaved pooled queries
  'server/src/core/db/deferred-counters.int.test.ts', // counters flushed through PGlite's single backend
  'server/src/core/rate-limit/rate-limits.int.test.ts', // sign-in budgets in PGlite, request budgets counted alone
  'server/src/app/health.int.test.ts', // readiness of the embedded database and the in-process bus
  'server/src/app/graceful-shutdown.int.test.ts', // the in-process job queue draining on close
  'server/src/app/row-level-security.int.test.ts', // forced RLS and the app role on PGlite
  'server/src/modules/conversations/conversation-flow.int.test.ts', // the quick start's conversation over the in-process bus
  'server/src/modules/conversations/conversation-reconnect.int.test.ts', // resume with afterSeq; seq leases through the ORM
  'server/src/modules/conversations/reply-durability.int.test.ts', // replies stored and completed without side reads
  'server/src/modules/conversations/handoff.int.test.ts', // handoff events on the in-process bus
  'server/src/modules/conversations/handoff-timeout.int.test.ts', // handoff timeouts as in-process jobs
  'server/src/modules/conversations/system-notices.int.test.ts', // notices' jsonb and the holder's row locks on PGlite
  'server/src/modules/knowledge/ingestion.int.test.ts', // ingestion as in-process jobs, pgvector on PGlite
  'server/src/modules/knowledge/embedding-models.int.test.ts', // re-embedding jobs, vector columns on PGlite
  'server/src/modules/knowledge/retrieval-statistics.int.test.ts', // full-text statistics without side reads
  'server/src/modules/webhooks/webhooks.int.test.ts', // the delivery worker's locking on PGlite
  'server/src/modules/analytics/analytics.int.test.ts', // the reports' SQL on PGlite
  'server/src/modules/bots/bot-lifecycle.int.test.ts', // the deleted bots' purge as an in-process job
  'server/src/app/partner-clients.int.test.ts', // the partner scenarios through Apollo Client and urql, on both deployments
  'server/src/core/storage/blob-store.int.test.ts', // the PostgreSQL blob store (bytea chunks, row-level security) on PGlite
];

// Four projects so each kind of test can be run on its own:
//   unit         pure code, no services
//   integration  real PostgreSQL + pgvector and NATS when DATABASE_URL / NATS_URL are set,
//                the embedded defaults (PGlite, in-process bus) otherwise
//   embedded     the integration files that cover what the embedded defaults do differently, always embedded
//   browser      real Chromium driven by Playwright against a real server
// Two cores on our machines: at most two files run at once, the browser project in a run of its own (two
// Chromiums and the servers they drive, nothing else). Running all four projects in one run with three files at
// once was tried (b66f241): the run took longer (793 s against 727 s) and browser polls timed out beside busy
// integration files. The browser project ran one file at a time until 1387230 (414 s of a 981 s CI run).
export default defineConfig({
  resolve: {
    // graphql ships CJS (main) and ESM (module) builds. Node resolves dependencies such as type-graphql
    // and Apollo to the CJS one while Vite would give our code the ESM one: two "realms" whose schema
    // objects reject each other. Point our code at the build Node uses.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  // @mascot/sdk gives partners its compiled dist/; our tests import its TypeScript source (packages/sdk/README.md).
  // Vitest hands these conditions to the workers' Node (`--conditions`), where `module` would make Node load
  // ES builds meant for bundlers (the AWS SDK's imports lack file extensions): Node's own resolution, as in production.
  ssr: { resolve: { conditions: ['@mascot/source', ...defaultServerConditions.filter((condition) => condition !== 'module')] } },
  test: {
    maxWorkers: 2,
    // A condition a test waits for gets 5 s by default (Vitest's is 1 s): on a loaded two-core machine a
    // browser repaint or a server's answer can take longer than a second without anything being wrong.
    expect: { poll: { timeout: 5_000 } },
    // type-graphql's decorators need the Reflect metadata API before any resolver module loads;
    // the server's entry points import it first, tests may import modules directly.
    setupFiles: ['reflect-metadata'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'server/src/**/*.test.ts',
            'server/explorer/src/**/*.test.ts',
            'widget/src/**/*.test.ts',
            'bench/**/*.test.ts',
            'deploy/**/*.test.ts',
            'studio/src/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['server/src/**/*.int.test.ts', 'studio/src/**/*.int.test.ts'],
          globalSetup: ['server/src/test/global-setup.ts'],
          ...serverProject,
        },
      },
      {
        extends: true,
        test: {
          name: 'embedded',
          include: EMBEDDED_DIFFERENCES,
          globalSetup: ['server/src/test/global-setup.ts'],
          // Embedded whatever the shell says: no external PostgreSQL or NATS.
          env: { DATABASE_URL: '', NATS_URL: '' },
          ...serverProject,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['e2e/**/*.e2e.test.ts', 'studio/e2e/**/*.e2e.test.ts'],
          globalSetup: ['server/src/test/global-setup.ts'],
          ...serverProject,
          testTimeout: 90_000,
        },
      },
    ],
  },
});

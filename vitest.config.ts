import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// Three projects so each kind of test can be run on its own:
//   unit         pure code, no services
//   integration  real PostgreSQL + pgvector and NATS when DATABASE_URL / NATS_URL are set,
//                the embedded defaults (PGlite, in-process bus) otherwise
//   browser      real Chromium driven by Playwright against a real server
// Two cores on our machines: at most two files run at once.
export default defineConfig({
  resolve: {
    // graphql ships CJS (main) and ESM (module) builds. Node resolves dependencies such as type-graphql
    // and Apollo to the CJS one while Vite would give our code the ESM one: two "realms" whose schema
    // objects reject each other. Point our code at the build Node uses.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    maxWorkers: 2,
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
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['e2e/**/*.e2e.test.ts', 'studio/e2e/**/*.e2e.test.ts'],
          globalSetup: ['server/src/test/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          maxWorkers: 1,
        },
      },
    ],
  },
});

import { startMascotServer } from './app/create-server.ts';
import { demoPasswordForBanner } from './app/demo-seed.ts';
import { ConfigError, loadConfig } from './core/config/index.ts';
import { createServerLogger } from './core/logging/index.ts';

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const logger = createServerLogger(config);
const server = await startMascotServer(config, { logger });

logger.info(
  {
    database: config.databaseUrl ? 'postgresql' : 'embedded (PGlite + pgvector)',
    bus: server.bus.kind,
    demoPage: `${server.url}/`,
    graphql: server.graphqlUrl,
    ...(server.demo ? { demoLogin: server.demo.email } : {}),
  },
  'Mascot is running',
);
if (server.demo) {
  // Printed for people, not log pipelines: the quick start tells the user to look here.
  process.stdout.write(
    [
      '',
      `  Mascot is running`,
      `  Demo page (widget):  ${server.url}/`,
      `  GraphQL API:         ${server.graphqlUrl}`,
      `  Console:             ${server.url}/console/`,
      `  Demo sign-in:        ${server.demo.email} / ${demoPasswordForBanner(server.demo, config)}`,
      `  Demo bot embed id:   ${server.demo.embedId}`,
      '',
    ].join('\n') + '\n',
  );
}

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

/**
 * Process 1 of the load bench: the Mascot server, composed exactly as `server/src/main.ts` composes it
 * (same config parsing from the environment, same `startMascotServer`), with one difference: the
 * request rate limits are raised so the bench's own traffic — every visitor comes from 127.0.0.1 —
 * is never refused. The limiter still runs and counts every request, so its cost stays in the figures.
 * (main.ts takes the limits from code, not from the environment; once the config module reads them,
 * this file can give way to main.ts.)
 */
import { startMascotServer } from '../../server/src/app/create-server.ts';
import { loadConfig } from '../../server/src/core/config/index.ts';
import { createLogger } from '../../server/src/core/logging/index.ts';
import { serveParent } from './child-processes.ts';

const UNCAPPED = { points: 1_000_000_000, durationS: 60 };

const config = loadConfig(process.env);
const logger = createLogger(config.logLevel);
const server = await startMascotServer(config, {
  logger,
  rateLimits: { perIp: UNCAPPED, perApiKey: UNCAPPED, perTenant: UNCAPPED },
  // The load comes from one address and a few embeds: the plans' visitor budgets would refuse it.
  visitorBudgets: false,
});

serveParent(
  { graphqlUrl: server.graphqlUrl, websocketUrl: server.websocketUrl, env: config.env, bus: server.bus.kind, pid: process.pid },
  async (command: { kind: string }) => {
    throw new Error(`unknown command ${command.kind}`);
  },
  () => server.close(),
);

import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import { activeTraceIds } from '../telemetry/index.ts';

export type { Logger };

export interface LoggerOptions {
  /** Colourful one-line-per-event output for people (a developer's terminal); JSON otherwise. */
  pretty?: boolean;
  /** Adds the active OpenTelemetry `trace_id` and `span_id` to every line (only when tracing is on). */
  traceIds?: boolean;
  /** Where JSON lines go instead of stdout (tests read them). */
  destination?: DestinationStream;
}

/**
 * Structured JSON logs. Fields that can carry secrets are redacted at the source,
 * so a careless `log.info({ req })` cannot leak a token.
 */
export function createLogger(level: string, name = 'mascot', options: LoggerOptions = {}): Logger {
  const settings = {
    name,
    level,
    redact: {
      paths: ['password', '*.password', 'authorization', '*.authorization', 'headers.authorization', 'token', '*.token', 'secret', '*.secret'],
      censor: '[redacted]',
    },
    // Installed only with tracing on: with it off, a log line costs what it did before.
    ...(options.traceIds ? { mixin: () => activeTraceIds() ?? {} } : {}),
  };
  if (!options.pretty) return options.destination ? pino(settings, options.destination) : pino(settings);
  // Loaded only for a terminal; in-process (not a transport worker): there, throughput does not matter.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  return pino(settings, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
}

/** The server's logger: pretty in development on an interactive terminal, JSON everywhere else; trace ids with tracing on. */
export function createServerLogger(config: { logLevel: string; env: string; telemetry: { enabled: boolean } }): Logger {
  return createLogger(config.logLevel, 'mascot', {
    pretty: config.env === 'development' && process.stdout.isTTY === true,
    traceIds: config.telemetry.enabled,
  });
}

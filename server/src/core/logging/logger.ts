import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Fields that can carry secrets are redacted at the source,
 * so a careless `log.info({ req })` cannot leak a token.
 */
export function createLogger(level: string, name = 'mascot'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['password', '*.password', 'authorization', '*.authorization', 'headers.authorization', 'token', '*.token', 'secret', '*.secret'],
      censor: '[redacted]',
    },
  });
}

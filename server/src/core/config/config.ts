import path from 'node:path';
import { z } from 'zod';

/**
 * The server's whole configuration, parsed once from the environment at start.
 * Nothing else in the server reads `process.env` (lint enforces it): pass the config down instead.
 */
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || protocols.some((p) => v.startsWith(`${p}://`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

/** An origin as browsers send it in the Origin header: scheme, host and port, no path, query or credentials. */
function parseOrigin(entry: string): string | undefined {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return undefined; // not a URL at all: reported by the caller with the offending entry
  }
  const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  return ['http:', 'https:'].includes(url.protocol) && bare ? url.origin : undefined;
}

/**
 * Comma-separated browser origins allowed to open graphql-ws sockets besides the server's own,
 * normalised with URL so `https://App.example:443/` matches the browser's `https://app.example`.
 */
const originList = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const origins: string[] = [];
    for (const entry of (value ?? '').split(',').map((item) => item.trim()).filter(Boolean)) {
      const origin = parseOrigin(entry);
      if (origin) origins.push(origin);
      else ctx.addIssue({ code: 'custom', message: `"${entry}" is not an origin such as https://shop.example.com` });
    }
    return origins;
  });

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  PUBLIC_URL: optionalUrl(['http', 'https']),
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  NATS_URL: optionalUrl(['nats', 'tls']),
  MASCOT_DATA_DIR: z.string().default('./.mascot/data'),
  MASCOT_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  MASCOT_SEED_DEMO: z.enum(['true', 'false']).default('true'),
  MASCOT_DEMO_PASSWORD: z.string().min(8).optional(),
  MASCOT_OFFLINE_TOKEN_DELAY_MS: z.coerce.number().int().min(0).max(1000).default(18),
  MASCOT_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(15_000),
  MASCOT_ALLOWED_ORIGINS: originList,
  MASCOT_JOBS_NAMESPACE: z.string().regex(/^[a-z0-9]{0,32}$/, 'must be up to 32 lowercase letters and digits').default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface MascotConfig {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  /** Base URL visitors and the explorer reach us at; derived from host and port when not set. */
  publicUrl: string | undefined;
  /** Real PostgreSQL; when absent the embedded PGlite database is used. */
  databaseUrl: string | undefined;
  /** Real NATS; when absent the in-process bus is used. */
  natsUrl: string | undefined;
  dataDir: string;
  /** When absent outside production, a secret is generated once and kept in the data directory. */
  jwtSecret: string | undefined;
  seedDemo: boolean;
  demoPassword: string | undefined;
  offlineTokenDelayMs: number;
  shutdownGraceMs: number;
  /**
   * Browser origins, besides the server's own (publicUrl), whose pages may open graphql-ws sockets.
   * Sockets without an Origin header (SDKs, servers, tests) are not browsers and are always allowed.
   */
  allowedOrigins: string[];
  /**
   * Separates the JetStream job streams of installations sharing one NATS (and test servers, which each
   * have their own database): jobs of one namespace are never consumed by another.
   */
  jobsNamespace: string;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined>): MascotConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration in the environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.MASCOT_JWT_SECRET) {
    throw new ConfigError('MASCOT_JWT_SECRET is required in production (at least 32 random characters).');
  }
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    natsUrl: e.NATS_URL,
    dataDir: path.resolve(e.MASCOT_DATA_DIR),
    jwtSecret: e.MASCOT_JWT_SECRET,
    seedDemo: e.MASCOT_SEED_DEMO === 'true',
    demoPassword: e.MASCOT_DEMO_PASSWORD,
    offlineTokenDelayMs: e.MASCOT_OFFLINE_TOKEN_DELAY_MS,
    shutdownGraceMs: e.MASCOT_SHUTDOWN_GRACE_MS,
    allowedOrigins: e.MASCOT_ALLOWED_ORIGINS,
    jobsNamespace: e.MASCOT_JOBS_NAMESPACE,
    logLevel: e.LOG_LEVEL,
  };
}

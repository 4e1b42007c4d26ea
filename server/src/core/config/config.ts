import path from 'node:path';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';
import { parseAllowList, type AllowRule } from '../outbound/index.ts';
import { parseStorageConfig, type StorageConfig } from './storage-config.ts';
import { parseTelemetryConfig, type TelemetryConfig } from './telemetry-config.ts';

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

/**
 * MASCOT_TRUST_PROXY, Express's `trust proxy` minus `true`: `false` (or empty, `0`), a hop count, or a
 * comma-separated list of proxy addresses, CIDR ranges and the names loopback, linklocal, uniquelocal.
 */
const trustProxy = z
  .string()
  .optional()
  .transform((value, ctx): false | number | string[] => {
    const text = (value ?? '').trim();
    if (text === '' || text === 'false' || text === '0') return false;
    if (/^\d+$/.test(text)) return Number(text);
    if (text === 'true') {
      // Trusting every hop believes whatever X-Forwarded-For a client writes: any client could pick its own address.
      ctx.addIssue({ code: 'custom', message: 'true would let any client choose its address; give the number of proxies in front of the server or their addresses' });
      return false;
    }
    const list = text.split(',').map((entry) => entry.trim()).filter(Boolean);
    try {
      proxyaddr.compile(list);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `${(error as Error).message}; expected false, a hop count, or addresses, CIDR ranges, loopback, linklocal, uniquelocal` });
    }
    return list;
  });

/**
 * Private destinations the operator allows for URLs tenants choose (core/outbound/allow-rules.ts):
 * origins, hosts, addresses and CIDR ranges, comma-separated; every bad entry is named.
 */
const privateAllowList = z
  .string()
  .optional()
  .transform((value, ctx): AllowRule[] => {
    const { rules, errors } = parseAllowList(value);
    for (const message of errors) ctx.addIssue({ code: 'custom', message });
    return rules;
  });

/** An API key: empty means unset; surrounding whitespace (a pasted newline) is never part of it. */
const optionalSecret = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  PUBLIC_URL: optionalUrl(['http', 'https']),
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  NATS_URL: optionalUrl(['nats', 'tls']),
  MASCOT_DATA_DIR: z.string().default('./.mascot/data'),
  MASCOT_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  // Unset: on in development and test, off in production (issue 15, finding 9); set it to choose.
  MASCOT_SEED_DEMO: z.enum(['true', 'false', '']).optional(),
  MASCOT_DEMO_PASSWORD: z.string().min(8).optional(),
  MASCOT_OFFLINE_TOKEN_DELAY_MS: z.coerce.number().int().min(0).max(1000).default(18),
  MASCOT_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(15_000),
  MASCOT_SHUTDOWN_READINESS_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(0),
  MASCOT_VISITOR_LEFT_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  MASCOT_REPLY_STORE_AFTER_MS: z.coerce.number().int().min(50).max(60_000).default(5_000),
  MASCOT_REPLY_SWEEP_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  MASCOT_REPLY_SWEEP_CONFIRM_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  // Deleted bots (deleteBot): how long they can be restored before their purge, and how often purges that are due are looked for.
  MASCOT_BOT_DELETION_GRACE_MS: z.coerce.number().int().min(0).default(7 * 24 * 60 * 60 * 1000),
  MASCOT_BOT_PURGE_SWEEP_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  // Website knowledge sources: how often due re-syncs are looked for, and the bounds of one page request.
  MASCOT_WEBSITE_SYNC_SWEEP_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  MASCOT_WEBSITE_PAGE_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(5 * 1024 * 1024),
  MASCOT_WEBSITE_FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  MASCOT_ACCESS_TOKEN_TTL_S: z.coerce.number().int().min(1).max(86_400).default(900),
  MASCOT_ALLOWED_ORIGINS: originList,
  MASCOT_TRUST_PROXY: trustProxy,
  MASCOT_JOBS_NAMESPACE: z.string().regex(/^[a-z0-9]{0,32}$/, 'must be up to 32 lowercase letters and digits').default(''),
  // JetStream keeps each job on this many servers of a NATS cluster (3 in the Kubernetes deployment); 1 on a single server.
  MASCOT_JOBS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  // Knowledge embeddings from an OpenAI-compatible endpoint (Ollama, vLLM, …); OpenAI's use OPENAI_* below.
  MASCOT_EMBEDDINGS_BASE_URL: optionalUrl(['http', 'https']),
  MASCOT_EMBEDDINGS_API_KEY: optionalSecret,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // AI providers (README "AI providers"). Keys are secrets: never logged, never put in a prompt.
  OPENAI_API_KEY: optionalSecret,
  OPENAI_BASE_URL: optionalUrl(['http', 'https']),
  ANTHROPIC_API_KEY: optionalSecret,
  ANTHROPIC_BASE_URL: optionalUrl(['http', 'https']),
  OPENAI_COMPATIBLE_API_KEY: optionalSecret,
  OPENAI_COMPATIBLE_ALLOWED_ORIGINS: originList,
  MASCOT_AI_FIRST_TOKEN_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  MASCOT_AI_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  MASCOT_AI_RETRIES: z.coerce.number().int().min(0).max(3).default(1),
  MASCOT_AI_OFFLINE_LAST_RESORT: z.enum(['true', 'false']).default('true'),
  // Outgoing webhooks (README "Webhooks").
  MASCOT_SECRETS_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  // Private destinations tenant-chosen URLs may reach (README "Outbound requests"); the webhook name is the older alias.
  MASCOT_OUTBOUND_ALLOWED_PRIVATE: privateAllowList,
  MASCOT_WEBHOOK_ALLOWED_PRIVATE_HOSTS: privateAllowList,
  MASCOT_WEBHOOK_RETRY_SCHEDULE_MS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (!value?.trim()) return undefined;
      const delays = value.split(',').map((item) => Number(item.trim()));
      if (delays.some((d) => !Number.isInteger(d) || d < 0)) {
        ctx.addIssue({ code: 'custom', message: 'must be comma-separated delays in milliseconds, such as 5000,300000' });
      }
      return delays;
    }),
  MASCOT_WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  MASCOT_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  MASCOT_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  // Untrusted files (knowledge documents, avatar GLBs) are parsed in worker threads within these limits.
  MASCOT_FILE_PARSE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
  MASCOT_FILE_PARSE_MAX_MEMORY_MB: z.coerce.number().int().min(32).max(8192).default(512),
  MASCOT_FILE_MAX_UNCOMPRESSED_BYTES: z.coerce.number().int().min(1024).default(100 * 1024 * 1024),
  MASCOT_FILE_MAX_TEXT_BYTES: z.coerce.number().int().min(1024).default(16 * 1024 * 1024),
  MASCOT_AVATAR_PROCESS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(120_000),
  MASCOT_AVATAR_PROCESS_MAX_MEMORY_MB: z.coerce.number().int().min(64).max(8192).default(1024),
});

/** How deliveries of outgoing webhooks are made. */
export interface WebhooksConfig {
  /** Delays before each retry; undefined: the Standard Webhooks schedule (5 s … 10 h). */
  retryScheduleMs: number[] | undefined;
  pollIntervalMs: number;
  timeoutMs: number;
}

/** How the server reaches AI providers; bots choose among them with their provider chain. */
export interface AiConfig {
  /** `baseUrl` undefined: the SDK's public endpoint. No key: `openai` entries are skipped. */
  openai: { apiKey: string | undefined; baseUrl: string | undefined };
  anthropic: { apiKey: string | undefined; baseUrl: string | undefined };
  /**
   * Endpoints named by the bots themselves (Ollama, vLLM, …). When `allowedOrigins` is not empty,
   * only those origins are called, and only they ever receive `apiKey`.
   */
  openaiCompatible: { apiKey: string | undefined; allowedOrigins: string[] };
  /** A provider that sends no token within this time is abandoned for the next in the chain. */
  firstTokenTimeoutMs: number;
  /** A stream silent this long after its first token fails the reply. */
  idleTimeoutMs: number;
  /** Extra attempts per chain entry on 429, 5xx, timeouts and connection errors (SDK retries are off). */
  retries: number;
  /** When every entry of a chain is unusable or failed, the offline provider answers instead of failing. */
  offlineLastResort: boolean;
}

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
  /** Seed the demo tenant, bot and sign-in (MASCOT_SEED_DEMO; unset: everywhere but production). */
  seedDemo: boolean;
  demoPassword: string | undefined;
  offlineTokenDelayMs: number;
  shutdownGraceMs: number;
  /** After SIGTERM, how long /readyz answers 503 while the listener still accepts (load balancers without a pre-stop hook notice first). */
  shutdownReadinessDelayMs: number;
  /** How long a reply streams on after its visitor's last subscription ended, before the provider is stopped. */
  visitorLeftGraceMs: number;
  /** The longest a streamed reply event stays only in the producing instance's memory before it is stored in a batch. */
  replyStoreAfterMs: number;
  /** Replies left open by a stopped instance: how often every instance looks, and how long one must stay silent before it is closed. */
  orphanedReplySweep: { intervalMs: number; confirmAfterMs: number };
  /** Deleted bots: restorable for `graceMs`, then purged by a durable job; every instance looks for due purges every `sweepMs`. */
  botDeletion: { graceMs: number; sweepMs: number };
  /** Website sources: every instance looks for due syncs every `sweepMs`; one page request may take `fetchTimeoutMs` and `maxPageBytes`. */
  websiteSync: { sweepMs: number; maxPageBytes: number; fetchTimeoutMs: number };
  /** Lifetime of members' access JWTs; clients renew them with their refresh token. */
  accessTokenTtlSeconds: number;
  /**
   * Browser origins, besides the server's own (publicUrl), whose pages may open graphql-ws sockets.
   * Sockets without an Origin header (SDKs, servers, tests) are not browsers and are always allowed.
   */
  allowedOrigins: string[];
  /**
   * Proxies whose X-Forwarded-For names the client (rate limits, audit log), on HTTP and graphql-ws
   * alike: `false` none, a number of hops, or addresses and ranges (see core/rate-limit/client-ip.ts).
   */
  trustProxy: false | number | string[];
  /**
   * Separates the JetStream job streams of installations sharing one NATS (and test servers, which each
   * have their own database): jobs of one namespace are never consumed by another. It also names the
   * installation's cluster subjects (rate-limit counts, identity invalidations), which are per database too.
   */
  jobsNamespace: string;
  /** Copies JetStream keeps of the jobs stream (MASCOT_JOBS_STREAM_REPLICAS): 3 on a three-server NATS cluster. */
  jobsStreamReplicas: number;
  /**
   * Where knowledge embeddings may come from besides the built-in offline embedder. `openai` is set
   * when OPENAI_API_KEY is (OPENAI_BASE_URL redirects it, e.g. to a proxy or a test server);
   * `compatible` when MASCOT_EMBEDDINGS_BASE_URL names an OpenAI-compatible endpoint (Ollama:
   * http://127.0.0.1:11434/v1), whose key is optional.
   */
  embeddings: {
    openai: { apiKey: string; baseUrl: string | undefined } | undefined;
    compatible: { baseUrl: string; apiKey: string | undefined } | undefined;
  };
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  ai: AiConfig;
  /**
   * Master secret for secrets the server keeps sealed (webhook signing secrets). When absent, the
   * JWT secret serves (keys are derived per purpose), so rotating the JWT secret then needs this set
   * to the old value first.
   */
  secretsKey: string | undefined;
  webhooks: WebhooksConfig;
  /**
   * Requests to URLs tenants choose (OpenAI-compatible base URLs, webhooks) reach public addresses only,
   * plus these private destinations (MASCOT_OUTBOUND_ALLOWED_PRIVATE and its older alias
   * MASCOT_WEBHOOK_ALLOWED_PRIVATE_HOSTS); see core/outbound.
   */
  outbound: { allowedPrivate: AllowRule[] };
  /** Bearer token Prometheus sends to GET /metrics; without it the route is open in development, off in production. */
  metricsToken: string | undefined;
  untrustedFiles: UntrustedFileLimits;
  /** Shared file storage (avatars, knowledge uploads): PostgreSQL or S3-compatible (MASCOT_STORAGE). */
  storage: StorageConfig;
  /** OpenTelemetry tracing (OTEL_EXPORTER_OTLP_*): off unless an endpoint is set. */
  telemetry: TelemetryConfig;
}

/** Limits of the worker threads that parse uploaded files (core/isolation; SECURITY.md "Untrusted files"). */
export interface UntrustedFileLimits {
  /** Knowledge documents: time and memory of one parse, bytes a DOCX may unpack to, text one file may yield. */
  knowledge: { timeoutMs: number; maxMemoryMb: number; maxUncompressedBytes: number; maxTextBytes: number };
  /** Avatar GLBs: validation and optimisation of one upload. */
  avatars: { timeoutMs: number; maxMemoryMb: number };
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
  const storage = parseStorageConfig(env);
  const telemetry = parseTelemetryConfig(env);
  const extraErrors = [...storage.errors, ...telemetry.errors];
  if (extraErrors.length > 0) throw new ConfigError(`Invalid configuration in the environment:\n${extraErrors.map((line) => `  ${line}`).join('\n')}`);
  if (e.NODE_ENV === 'production' && !e.MASCOT_JWT_SECRET) {
    throw new ConfigError('MASCOT_JWT_SECRET is required in production (at least 32 random characters).');
  }
  if (e.OPENAI_COMPATIBLE_API_KEY && e.OPENAI_COMPATIBLE_ALLOWED_ORIGINS.length === 0) {
    // Bots name their own compatible base URL: without an allowlist, a bot pointed at any server would receive the key.
    throw new ConfigError('OPENAI_COMPATIBLE_API_KEY needs OPENAI_COMPATIBLE_ALLOWED_ORIGINS: the origins allowed to receive it.');
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
    seedDemo: e.MASCOT_SEED_DEMO ? e.MASCOT_SEED_DEMO === 'true' : e.NODE_ENV !== 'production',
    demoPassword: e.MASCOT_DEMO_PASSWORD,
    offlineTokenDelayMs: e.MASCOT_OFFLINE_TOKEN_DELAY_MS,
    shutdownGraceMs: e.MASCOT_SHUTDOWN_GRACE_MS,
    shutdownReadinessDelayMs: e.MASCOT_SHUTDOWN_READINESS_DELAY_MS,
    visitorLeftGraceMs: e.MASCOT_VISITOR_LEFT_GRACE_MS,
    replyStoreAfterMs: e.MASCOT_REPLY_STORE_AFTER_MS,
    orphanedReplySweep: { intervalMs: e.MASCOT_REPLY_SWEEP_MS, confirmAfterMs: e.MASCOT_REPLY_SWEEP_CONFIRM_MS },
    botDeletion: { graceMs: e.MASCOT_BOT_DELETION_GRACE_MS, sweepMs: e.MASCOT_BOT_PURGE_SWEEP_MS },
    websiteSync: { sweepMs: e.MASCOT_WEBSITE_SYNC_SWEEP_MS, maxPageBytes: e.MASCOT_WEBSITE_PAGE_MAX_BYTES, fetchTimeoutMs: e.MASCOT_WEBSITE_FETCH_TIMEOUT_MS },
    accessTokenTtlSeconds: e.MASCOT_ACCESS_TOKEN_TTL_S,
    allowedOrigins: e.MASCOT_ALLOWED_ORIGINS,
    trustProxy: e.MASCOT_TRUST_PROXY,
    jobsNamespace: e.MASCOT_JOBS_NAMESPACE,
    jobsStreamReplicas: e.MASCOT_JOBS_STREAM_REPLICAS,
    embeddings: {
      openai: e.OPENAI_API_KEY ? { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL } : undefined,
      compatible: e.MASCOT_EMBEDDINGS_BASE_URL ? { baseUrl: e.MASCOT_EMBEDDINGS_BASE_URL, apiKey: e.MASCOT_EMBEDDINGS_API_KEY } : undefined,
    },
    logLevel: e.LOG_LEVEL,
    ai: {
      openai: { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL },
      anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL },
      openaiCompatible: { apiKey: e.OPENAI_COMPATIBLE_API_KEY, allowedOrigins: e.OPENAI_COMPATIBLE_ALLOWED_ORIGINS },
      firstTokenTimeoutMs: e.MASCOT_AI_FIRST_TOKEN_TIMEOUT_MS,
      idleTimeoutMs: e.MASCOT_AI_IDLE_TIMEOUT_MS,
      retries: e.MASCOT_AI_RETRIES,
      offlineLastResort: e.MASCOT_AI_OFFLINE_LAST_RESORT === 'true',
    },
    secretsKey: e.MASCOT_SECRETS_KEY,
    metricsToken: e.MASCOT_METRICS_TOKEN,
    outbound: { allowedPrivate: [...e.MASCOT_OUTBOUND_ALLOWED_PRIVATE, ...e.MASCOT_WEBHOOK_ALLOWED_PRIVATE_HOSTS] },
    webhooks: {
      retryScheduleMs: e.MASCOT_WEBHOOK_RETRY_SCHEDULE_MS,
      pollIntervalMs: e.MASCOT_WEBHOOK_POLL_MS,
      timeoutMs: e.MASCOT_WEBHOOK_TIMEOUT_MS,
    },
    untrustedFiles: {
      knowledge: {
        timeoutMs: e.MASCOT_FILE_PARSE_TIMEOUT_MS,
        maxMemoryMb: e.MASCOT_FILE_PARSE_MAX_MEMORY_MB,
        maxUncompressedBytes: e.MASCOT_FILE_MAX_UNCOMPRESSED_BYTES,
        maxTextBytes: e.MASCOT_FILE_MAX_TEXT_BYTES,
      },
      avatars: { timeoutMs: e.MASCOT_AVATAR_PROCESS_TIMEOUT_MS, maxMemoryMb: e.MASCOT_AVATAR_PROCESS_MAX_MEMORY_MB },
    },
    storage: storage.config!,
    telemetry: telemetry.config!,
  };
}

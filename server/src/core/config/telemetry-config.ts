import { z } from 'zod';

/**
 * OpenTelemetry tracing, read from the standard OTEL_* variables so collectors' usual settings apply.
 * Off unless an OTLP endpoint is set; when off, no SDK is loaded (core/telemetry).
 */
export type TelemetryConfig =
  | { enabled: false }
  | {
      enabled: true;
      /** The full URL spans are POSTed to (OTLP/HTTP). */
      tracesUrl: string;
      /** OTLP/HTTP with protobuf bodies (the specification's default) or JSON ones. */
      protocol: 'http/protobuf' | 'http/json';
      /** Sent with every export (a collector's API key): a secret, never logged. */
      headers: Record<string, string>;
      serviceName: string;
      /** Share of traces kept (parent-based: a kept trace keeps all its spans). */
      sampleRatio: number;
      /** Spans are sent in batches at most this often (OTEL_BSP_SCHEDULE_DELAY). */
      exportDelayMs: number;
    };

const url = z
  .string()
  .trim()
  .optional()
  .refine((v) => !v || /^https?:\/\//.test(v), 'must start with http:// or https://');

/** An empty variable (as `.env` files leave them) means unset, not zero. */
const emptyIsUnset = (value: unknown) => (value === '' ? undefined : value);

const telemetrySchema = z.object({
  OTEL_SDK_DISABLED: z.enum(['true', 'false', '']).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: url,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url,
  OTEL_EXPORTER_OTLP_HEADERS: z.string().optional(),
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: z.string().optional(),
  OTEL_SERVICE_NAME: z.string().trim().optional(),
  OTEL_TRACES_SAMPLER_ARG: z.preprocess(emptyIsUnset, z.coerce.number().min(0).max(1).optional()),
  OTEL_BSP_SCHEDULE_DELAY: z.preprocess(emptyIsUnset, z.coerce.number().int().min(10).max(600_000).default(5_000)),
  // gRPC is left out: it would bring a gRPC stack for what OTLP/HTTP does as well; collectors take both.
  OTEL_EXPORTER_OTLP_PROTOCOL: z.preprocess(emptyIsUnset, z.enum(['http/protobuf', 'http/json'], { message: 'must be http/protobuf or http/json (gRPC is not supported)' }).optional()),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.preprocess(emptyIsUnset, z.enum(['http/protobuf', 'http/json'], { message: 'must be http/protobuf or http/json (gRPC is not supported)' }).optional()),
});

/** `key=value,key2=value2`, values URL-encoded (the OTLP exporter specification's format). */
function parseHeaders(text: string | undefined, errors: string[], variable: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    if (!pair.trim()) continue;
    const at = pair.indexOf('=');
    if (at <= 0) {
      errors.push(`${variable}: expected key=value pairs separated by commas`);
      continue;
    }
    headers[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return headers;
}

export function parseTelemetryConfig(env: Record<string, string | undefined>): { config?: TelemetryConfig; errors: string[] } {
  const parsed = telemetrySchema.safeParse(env);
  if (!parsed.success) return { errors: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
  const e = parsed.data;
  // The signal-specific variable is the full URL; the general one is a base that gets /v1/traces (OTLP spec).
  const tracesUrl = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (e.OTEL_EXPORTER_OTLP_ENDPOINT ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (!tracesUrl || e.OTEL_SDK_DISABLED === 'true') return { config: { enabled: false }, errors: [] };
  const errors: string[] = [];
  const headers = {
    ...parseHeaders(e.OTEL_EXPORTER_OTLP_HEADERS, errors, 'OTEL_EXPORTER_OTLP_HEADERS'),
    ...parseHeaders(e.OTEL_EXPORTER_OTLP_TRACES_HEADERS, errors, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'),
  };
  if (errors.length > 0) return { errors };
  return {
    config: {
      enabled: true,
      tracesUrl,
      protocol: e.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? e.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf',
      headers, serviceName: e.OTEL_SERVICE_NAME || 'mascot-server', sampleRatio: e.OTEL_TRACES_SAMPLER_ARG ?? 1, exportDelayMs: e.OTEL_BSP_SCHEDULE_DELAY },
    errors: [],
  };
}

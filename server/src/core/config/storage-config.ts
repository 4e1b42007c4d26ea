import { z } from 'zod';

/**
 * Where the server keeps files every instance must see (avatars, knowledge uploads): PostgreSQL by
 * default (no extra service), or an S3-compatible object store (core/storage/README.md).
 */
export type StorageConfig =
  | { kind: 'postgres' }
  | {
      kind: 's3';
      bucket: string;
      /** An S3-compatible endpoint (MinIO, R2, Ceph…); unset means AWS's own for the region. */
      endpoint: string | undefined;
      region: string;
      /** Unset: the AWS SDK's default chain (environment, profile, instance or pod role). */
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
      /** Path-style URLs (`endpoint/bucket/key`); most self-hosted stores need them. */
      forcePathStyle: boolean;
      /** Prepended to every key, so one bucket can hold several installations. */
      prefix: string;
    };

const storageSchema = z.object({
  MASCOT_STORAGE: z.enum(['postgres', 's3']).default('postgres'),
  MASCOT_S3_BUCKET: z.string().trim().optional(),
  MASCOT_S3_ENDPOINT: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || /^https?:\/\//.test(v), 'must start with http:// or https://'),
  MASCOT_S3_REGION: z.string().trim().default('us-east-1'),
  MASCOT_S3_ACCESS_KEY_ID: z.string().trim().optional(),
  MASCOT_S3_SECRET_ACCESS_KEY: z.string().trim().optional(),
  MASCOT_S3_FORCE_PATH_STYLE: z.enum(['true', 'false', '']).optional(),
  MASCOT_S3_PREFIX: z
    .string()
    .trim()
    .regex(/^([A-Za-z0-9._-]+\/)*$/, 'must be empty or path segments each ending in "/"')
    .default(''),
});

/** Parses the storage settings; problems come back as messages for loadConfig to report with the rest. */
export function parseStorageConfig(env: Record<string, string | undefined>): { config?: StorageConfig; errors: string[] } {
  const parsed = storageSchema.safeParse(env);
  if (!parsed.success) return { errors: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
  const e = parsed.data;
  if (e.MASCOT_STORAGE === 'postgres') return { config: { kind: 'postgres' }, errors: [] };
  const errors: string[] = [];
  if (!e.MASCOT_S3_BUCKET) errors.push('MASCOT_S3_BUCKET: required when MASCOT_STORAGE=s3');
  if (Boolean(e.MASCOT_S3_ACCESS_KEY_ID) !== Boolean(e.MASCOT_S3_SECRET_ACCESS_KEY)) {
    errors.push('MASCOT_S3_ACCESS_KEY_ID and MASCOT_S3_SECRET_ACCESS_KEY: set both or neither');
  }
  if (errors.length > 0) return { errors };
  return {
    config: {
      kind: 's3',
      bucket: e.MASCOT_S3_BUCKET!,
      endpoint: e.MASCOT_S3_ENDPOINT || undefined,
      region: e.MASCOT_S3_REGION,
      credentials: e.MASCOT_S3_ACCESS_KEY_ID ? { accessKeyId: e.MASCOT_S3_ACCESS_KEY_ID, secretAccessKey: e.MASCOT_S3_SECRET_ACCESS_KEY! } : undefined,
      forcePathStyle: e.MASCOT_S3_FORCE_PATH_STYLE ? e.MASCOT_S3_FORCE_PATH_STYLE === 'true' : Boolean(e.MASCOT_S3_ENDPOINT),
      prefix: e.MASCOT_S3_PREFIX,
    },
    errors: [],
  };
}

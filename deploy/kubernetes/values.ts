import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * What an operator chooses for a Mascot deployment on Kubernetes: the role of a Helm chart's values.yaml.
 * Every field has a default fit for production; a values file (values/*.yaml) overrides some of them.
 * Unknown keys are refused, so a typo in a values file fails the render instead of being ignored.
 */

/** Environment variables that carry credentials: they go into the Secret, never the ConfigMap. */
export const SECRET_ENV = /(^DATABASE_URL$|PASSWORD|SECRET|TOKEN|_KEY$|^S3_ACCESS|CREDENTIALS)/;

const quantity = z.string().regex(/^[0-9.]+(m|Ki|Mi|Gi|Ti|k|M|G)?$/, 'a Kubernetes quantity such as 250m or 512Mi');

const valuesSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).default('mascot'),
  namespace: z.string().optional(),
  image: z
    .strictObject({
      repository: z.string().default('ghcr.io/example/mascot'),
      tag: z.string().default('latest'),
      pullPolicy: z.enum(['IfNotPresent', 'Always', 'Never']).default('IfNotPresent'),
    })
    .prefault({}),
  /** Base URL visitors reach Mascot at (PUBLIC_URL): links, and the origin allowed to open graphql-ws sockets. */
  publicUrl: z.url().default('https://mascot.example.com'),
  /** Replicas when autoscaling is off, and the floor of the autoscaler otherwise. */
  replicas: z.number().int().min(1).default(3),
  /**
   * Configuration that is not secret (README, "Configuration"), written to a ConfigMap. Credentials are refused
   * here: they belong in the Secret named by `secretName`.
   */
  env: z
    .record(z.string(), z.string())
    .refine((env) => Object.keys(env).every((key) => !SECRET_ENV.test(key)), {
      message: `holds a credential; put DATABASE_URL, passwords, secrets, tokens and keys in the Secret (secretName) instead`,
    })
    .default({}),
  /**
   * An existing Secret with DATABASE_URL, MASCOT_JWT_SECRET and any provider keys, created outside these manifests
   * (kubectl create secret, External Secrets, Sealed Secrets): secret values never pass through a values file.
   */
  secretName: z.string().default('mascot-secrets'),
  /** DATABASE_URL from another Secret's key instead (CloudNativePG writes `<cluster>-app` with key `uri`). */
  databaseUrlFrom: z.strictObject({ secretName: z.string(), key: z.string() }).optional(),
  /** NATS with JetStream, installed from the official chart (nats/values.yaml): its client URL and stream replicas. */
  nats: z
    .strictObject({
      url: z.string().default('nats://nats:4222'),
      jetStreamReplicas: z.number().int().min(1).max(5).default(3),
    })
    .prefault({}),
  resources: z
    .strictObject({
      requests: z.strictObject({ cpu: quantity.default('500m'), memory: quantity.default('768Mi') }).prefault({}),
      // No CPU limit: throttling a streaming server adds latency to every reply; memory is limited.
      limits: z.strictObject({ memory: quantity.default('1536Mi') }).prefault({}),
    })
    .prefault({}),
  autoscaling: z
    .strictObject({
      enabled: z.boolean().default(true),
      maxReplicas: z.number().int().min(1).default(12),
      targetCpuUtilization: z.number().int().min(1).max(100).default(70),
      /**
       * Open GraphQL subscriptions per pod to aim for (the mascot_active_subscriptions gauge, served to the HPA
       * as a Pods metric by prometheus-adapter; deploy/README.md). 0 scales on CPU alone.
       */
      subscriptionsPerPod: z.number().int().min(0).default(2000),
    })
    .prefault({}),
  /** Pods that must stay up during voluntary disruptions (node drains, upgrades). */
  minAvailable: z.number().int().min(1).default(2),
  service: z
    .strictObject({ type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).default('ClusterIP'), port: z.number().int().default(80) })
    .prefault({}),
  /** Longer than MASCOT_SHUTDOWN_GRACE_MS (15 s) plus the pre-stop pause, so replies in flight can finish. */
  terminationGracePeriodSeconds: z.number().int().min(1).default(45),
  /** An example CloudNativePG cluster rendered beside Mascot (values/cloudnativepg.yaml); off: PostgreSQL is external. */
  cloudNativePg: z
    .strictObject({
      enabled: z.boolean().default(false),
      instances: z.number().int().min(1).default(3),
      storageSize: quantity.default('20Gi'),
      // CloudNativePG's "standard" PostgreSQL images carry pgvector.
      imageName: z.string().default('ghcr.io/cloudnative-pg/postgresql:17-standard-bookworm'),
    })
    .prefault({}),
});

export type MascotValues = z.infer<typeof valuesSchema>;
export type MascotValuesInput = z.input<typeof valuesSchema>;

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Later layers win; objects merge key by key, everything else (lists included) is replaced, as Helm does. */
export function mergeLayers(...layers: unknown[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    if (layer === undefined || layer === null) continue;
    if (!isPlainObject(layer)) throw new TypeError('a values layer must be a mapping');
    for (const [key, value] of Object.entries(layer)) {
      merged[key] = isPlainObject(value) && isPlainObject(merged[key]) ? mergeLayers(merged[key], value) : value;
    }
  }
  return merged;
}

/** The defaults with `layers` merged over them, checked; throws naming every bad field. */
export function resolveValues(...layers: unknown[]): MascotValues {
  const parsed = valuesSchema.safeParse(mergeLayers(...layers));
  if (!parsed.success) {
    throw new Error(`Invalid values:\n${parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`).join('\n')}`);
  }
  return parsed.data;
}

/** Reads YAML values files, later files overriding earlier ones (like `helm -f a.yaml -f b.yaml`). */
export function loadValuesFiles(files: readonly string[]): MascotValues {
  return resolveValues(...files.map((file) => parse(readFileSync(file, 'utf8')) as unknown));
}

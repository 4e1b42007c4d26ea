import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IMetricSpec } from 'kubernetes-models/autoscaling/v2/MetricSpec';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Service, ServiceAccount } from 'kubernetes-models/v1';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { MascotValues } from './values.ts';

/**
 * Mascot's Kubernetes manifests, generated from values (values.ts) by TypeScript instead of Helm templates:
 * these machines have no helm binary and npm has no maintained Helm renderer, while typed models
 * (kubernetes-models) let CI render every variant and check it against the Kubernetes JSON schemas
 * (manifests.test.ts). Why, and how to deploy: deploy/README.md.
 */

/** The image's user (Dockerfile: `USER 1000:1000`, the official Node image's `node`). */
const UID = 1000;
const PORT = 4000;
/** What the server waits for in-flight replies after SIGTERM (MASCOT_SHUTDOWN_GRACE_MS). */
const SHUTDOWN_GRACE_MS = 15_000;
/** Before SIGTERM, so Services and ingresses stop sending new connections to a pod that is going away. */
const PRE_STOP_PAUSE_S = 5;
/** The gauge the autoscaler reads per pod, served by prometheus-adapter (deploy/README.md). */
export const SUBSCRIPTIONS_METRIC = 'mascot_active_subscriptions';

/** A Kubernetes object as rendered: a kubernetes-models instance (validate(), toJSON()) or a custom resource. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  validate?: () => void;
  toJSON?: () => unknown;
}

export function renderManifests(values: MascotValues): Manifest[] {
  const { name } = values;
  const selector = { 'app.kubernetes.io/name': 'mascot', 'app.kubernetes.io/instance': name, 'app.kubernetes.io/component': 'server' };
  const labels = { ...selector, 'app.kubernetes.io/version': values.image.tag, 'app.kubernetes.io/managed-by': 'mascot-deploy' };
  const metadata = (suffix = '') => ({ name: `${name}${suffix}`, labels, ...(values.namespace ? { namespace: values.namespace } : {}) });
  const cnpgCluster = `${name}-postgres`;

  const config = new ConfigMap({
    metadata: metadata('-config'),
    data: {
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      PORT: String(PORT),
      PUBLIC_URL: values.publicUrl,
      NATS_URL: values.nats.url,
      MASCOT_JOBS_STREAM_REPLICAS: String(values.nats.jetStreamReplicas),
      MASCOT_SHUTDOWN_GRACE_MS: String(SHUTDOWN_GRACE_MS),
      MASCOT_SEED_DEMO: 'false',
      // One ingress or load balancer in front: its X-Forwarded-For names the visitor (rate limits, audit log).
      MASCOT_TRUST_PROXY: '1',
      LOG_LEVEL: 'info',
      ...values.env,
    },
  });

  const databaseUrl = values.databaseUrlFrom ?? (values.cloudNativePg.enabled ? { secretName: `${cnpgCluster}-app`, key: 'uri' } : undefined);
  const env: IEnvVar[] = databaseUrl ? [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: databaseUrl.secretName, key: databaseUrl.key } } }] : [];

  const deployment = new Deployment({
    metadata: metadata(),
    spec: {
      ...(values.autoscaling.enabled ? {} : { replicas: values.replicas }),
      selector: { matchLabels: selector },
      // A new pod is ready before an old one goes: capacity never drops during a rollout.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: values.terminationGracePeriodSeconds,
          securityContext: { runAsNonRoot: true, runAsUser: UID, runAsGroup: UID, fsGroup: UID, seccompProfile: { type: 'RuntimeDefault' } },
          topologySpreadConstraints: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
            maxSkew: 1,
            topologyKey,
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: selector },
          })),
          containers: [
            {
              name: 'server',
              image: `${values.image.repository}:${values.image.tag}`,
              imagePullPolicy: values.image.pullPolicy,
              ports: [{ name: 'http', containerPort: PORT, protocol: 'TCP' }],
              envFrom: [{ configMapRef: { name: config.metadata!.name! } }, { secretRef: { name: values.secretName } }],
              env,
              resources: { requests: values.resources.requests, limits: values.resources.limits },
              // Migrations run before the server listens: the first start of a new version may take a while.
              startupProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 2, failureThreshold: 150 },
              livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
              // /readyz: database and bus reachable; 503 from the moment SIGTERM arrives.
              readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 2 },
              lifecycle: { preStop: { exec: { command: ['sleep', String(PRE_STOP_PAUSE_S)] } } },
              securityContext: {
                runAsNonRoot: true,
                runAsUser: UID,
                runAsGroup: UID,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMounts: [
                { name: 'tmp', mountPath: '/tmp' },
                { name: 'data', mountPath: '/var/lib/mascot' },
              ],
            },
          ],
          // The only writable paths: the data dir stays empty with DATABASE_URL and MASCOT_JWT_SECRET set.
          volumes: [
            { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
            { name: 'data', emptyDir: { sizeLimit: '64Mi' } },
          ],
        },
      },
    },
  });

  const service = new Service({
    metadata: metadata(),
    spec: { type: values.service.type, selector, ports: [{ name: 'http', port: values.service.port, targetPort: 'http', protocol: 'TCP' }] },
  });

  const manifests: Manifest[] = [new ServiceAccount({ metadata: metadata(), automountServiceAccountToken: false }), config, deployment, service];

  if (values.autoscaling.enabled) {
    const metrics: IMetricSpec[] = [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: values.autoscaling.targetCpuUtilization } } },
    ];
    if (values.autoscaling.subscriptionsPerPod > 0) {
      metrics.push({
        type: 'Pods',
        pods: { metric: { name: SUBSCRIPTIONS_METRIC }, target: { type: 'AverageValue', averageValue: String(values.autoscaling.subscriptionsPerPod) } },
      });
    }
    manifests.push(
      new HorizontalPodAutoscaler({
        metadata: metadata(),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
          minReplicas: values.replicas,
          maxReplicas: Math.max(values.replicas, values.autoscaling.maxReplicas),
          metrics,
          // Removing a pod makes its visitors reconnect elsewhere: scale down slowly, one pod a minute.
          behavior: {
            scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
          },
        },
      }),
    );
  }

  manifests.push(new PodDisruptionBudget({ metadata: metadata(), spec: { minAvailable: values.minAvailable, selector: { matchLabels: selector } } }));

  if (values.cloudNativePg.enabled) manifests.push(cloudNativePgCluster(values, cnpgCluster, metadata('-postgres')));
  return manifests;
}

/**
 * A CloudNativePG cluster for Mascot (the operator installed separately). Its application owner needs pgvector
 * and the app role Mascot's migrations switch to; both are created as superuser when the cluster is initialised,
 * since the owner is not allowed to. The operator writes DATABASE_URL to the Secret `<cluster>-app` (key `uri`).
 */
function cloudNativePgCluster(values: MascotValues, name: string, metadata: Manifest['metadata']): Manifest {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { ...metadata, name },
    spec: {
      instances: values.cloudNativePg.instances,
      imageName: values.cloudNativePg.imageName,
      storage: { size: values.cloudNativePg.storageSize },
      bootstrap: {
        initdb: {
          database: 'mascot',
          owner: 'mascot',
          postInitApplicationSQL: [
            'CREATE EXTENSION IF NOT EXISTS vector',
            'CREATE ROLE mascot_app NOLOGIN NOBYPASSRLS',
            'GRANT mascot_app TO mascot',
          ],
        },
      },
    },
  } as Manifest;
}

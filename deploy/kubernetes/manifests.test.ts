import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Service, ServiceAccount } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { renderManifests, SUBSCRIPTIONS_METRIC, type Manifest } from './manifests.ts';
import { renderYaml } from './render.ts';
import { loadValuesFiles, resolveValues, SECRET_ENV } from './values.ts';

const here = import.meta.dirname;
const valuesFile = (name: string) => path.join(here, 'values', name);
const repoFile = (relative: string) => readFileSync(path.resolve(here, '../..', relative), 'utf8');

/** Every variant the docs tell operators to render. */
const variants = {
  defaults: resolveValues(),
  'managed-postgres': loadValuesFiles([valuesFile('managed-postgres.yaml')]),
  cloudnativepg: loadValuesFiles([valuesFile('cloudnativepg.yaml')]),
  'fixed replicas': resolveValues({ autoscaling: { enabled: false }, replicas: 2, minAvailable: 1 }),
};

/** The kubernetes-models class checking each built-in kind against its JSON schema. */
const models: Record<string, { new (data: never): { validate(): void } }> = {
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

function find<T>(manifests: Manifest[], kind: string): T {
  const found = manifests.find((manifest) => manifest.kind === kind);
  if (!found) throw new Error(`no ${kind} rendered`);
  return JSON.parse(JSON.stringify(found.toJSON ? found.toJSON() : found)) as T;
}

type Json = Record<string, any>;

describe.each(Object.entries(variants))('the %s manifests', (_name, values) => {
  const manifests = renderManifests(values);
  const deployment = find<Json>(manifests, 'Deployment');
  const pod = deployment['spec'].template.spec;
  const container = pod.containers[0];

  it('render to YAML whose every document of a built-in kind passes its Kubernetes JSON schema', () => {
    const documents = parseAllDocuments(renderYaml(manifests)).map((document) => document.toJS() as Json);
    expect(documents.map((document) => document['kind'])).toEqual(manifests.map((manifest) => manifest.kind));
    for (const document of documents) {
      if (document['apiVersion'] === 'postgresql.cnpg.io/v1') continue; // a custom resource: no schema in the bundle
      const Model = models[`${document['apiVersion']}/${document['kind']}`];
      expect(Model, `${document['apiVersion']} ${document['kind']}`).toBeDefined();
      expect(() => new Model!(document as never).validate()).not.toThrow();
    }
  });

  it('probes liveness and startup on /healthz and readiness on /readyz, on the container port', () => {
    expect(container.ports).toEqual([{ name: 'http', containerPort: 4000, protocol: 'TCP' }]);
    expect(container.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(find<Json>(manifests, 'Service')['spec'].ports[0].targetPort).toBe('http');
  });

  it("runs as the image's non-root user on a read-only root file system, writing only to its volumes", () => {
    const user = /^USER (\d+):(\d+)$/m.exec(repoFile('Dockerfile'));
    expect(user).not.toBeNull();
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: Number(user![1]), fsGroup: Number(user![2]) });
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: Number(user![1]),
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    const dataDir = /MASCOT_DATA_DIR=(\S+)/.exec(repoFile('Dockerfile'))![1];
    expect(container.volumeMounts.map((mount: Json) => mount['mountPath']).sort()).toEqual(['/tmp', dataDir].sort());
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('lets in-flight replies finish: the grace period outlasts the pre-stop pause and the server drain', () => {
    const config = find<Json>(manifests, 'ConfigMap')['data'];
    const preStop = Number(container.lifecycle.preStop.exec.command[1]);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(preStop + Number(config.MASCOT_SHUTDOWN_GRACE_MS) / 1000);
    expect(deployment['spec'].strategy.rollingUpdate.maxUnavailable).toBe(0);
  });

  it('keeps credentials out of the ConfigMap: the Secret (or the database operator) provides them', () => {
    const config = find<Json>(manifests, 'ConfigMap');
    expect(Object.keys(config['data']).filter((key) => SECRET_ENV.test(key))).toEqual([]);
    expect(container.envFrom).toContainEqual({ secretRef: { name: values.secretName } });
    for (const manifest of manifests) expect(manifest.kind).not.toBe('Secret');
  });

  it('keeps pods available through voluntary disruptions, with room to drain a node', () => {
    const budget = find<Json>(manifests, 'PodDisruptionBudget')['spec'];
    expect(budget.minAvailable).toBe(values.minAvailable);
    expect(budget.minAvailable).toBeLessThan(values.replicas);
    expect(budget.selector).toEqual(deployment['spec'].selector);
  });
});

describe('autoscaling', () => {
  it('scales on CPU and on open subscriptions per pod, the gauge the server exports', () => {
    const hpa = find<Json>(renderManifests(resolveValues()), 'HorizontalPodAutoscaler')['spec'];
    expect(hpa.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'mascot' });
    expect(hpa.minReplicas).toBe(3);
    expect(hpa.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Pods', pods: { metric: { name: SUBSCRIPTIONS_METRIC }, target: { type: 'AverageValue', averageValue: '2000' } } },
    ]);
    expect(repoFile('server/src/core/metrics/metrics.ts')).toContain(`name: '${SUBSCRIPTIONS_METRIC}'`);
  });

  it('scales on CPU alone without a subscription target, and not at all when turned off', () => {
    const cpuOnly = find<Json>(renderManifests(resolveValues({ autoscaling: { subscriptionsPerPod: 0 } })), 'HorizontalPodAutoscaler')['spec'];
    expect(cpuOnly.metrics.map((metric: Json) => metric['type'])).toEqual(['Resource']);
    const fixed = renderManifests(variants['fixed replicas']);
    expect(fixed.map((manifest) => manifest.kind)).not.toContain('HorizontalPodAutoscaler');
    expect(find<Json>(fixed, 'Deployment')['spec'].replicas).toBe(2);
  });
});

describe('values', () => {
  it('refuses a credential in the ConfigMap environment', () => {
    for (const key of ['DATABASE_URL', 'OPENAI_API_KEY', 'MASCOT_JWT_SECRET', 'MASCOT_METRICS_TOKEN', 'S3_ACCESS_KEY_ID']) {
      expect(() => resolveValues({ env: { [key]: 'x' } }), key).toThrow(/env: .*Secret/);
    }
  });

  it('refuses unknown keys and bad types, naming them', () => {
    expect(() => resolveValues({ autoscaling: { maxReplica: 4 } })).toThrow(/autoscaling: .*maxReplica/);
    expect(() => resolveValues({ replicas: 'three' })).toThrow(/replicas:/);
  });

  it('runs NATS JetStream with three replicas, matching the official chart values shipped beside it', () => {
    const config = find<Json>(renderManifests(resolveValues()), 'ConfigMap')['data'];
    expect(config.MASCOT_JOBS_STREAM_REPLICAS).toBe('3');
    const natsValues = parseAllDocuments(readFileSync(path.join(here, 'nats/values.yaml'), 'utf8'))[0]!.toJS() as Json;
    expect(natsValues['config']).toMatchObject({ cluster: { enabled: true, replicas: 3 }, jetstream: { enabled: true } });
  });

  it('takes DATABASE_URL from the Secret CloudNativePG writes, and creates pgvector and the app role at initdb', () => {
    const manifests = renderManifests(variants.cloudnativepg);
    const container = find<Json>(manifests, 'Deployment')['spec'].template.spec.containers[0];
    expect(container.env).toEqual([{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'mascot-postgres-app', key: 'uri' } } }]);
    const cluster = find<Json>(manifests, 'Cluster')['spec'];
    expect(cluster.instances).toBe(3);
    expect(cluster.bootstrap.initdb.postInitApplicationSQL).toEqual(
      expect.arrayContaining(['CREATE EXTENSION IF NOT EXISTS vector', expect.stringMatching(/^CREATE ROLE mascot_app /)]),
    );
    expect(repoFile('server/src/migrations/Migration20261122010000RowLevelSecurity.ts')).toContain("APP_ROLE = 'mascot_app'");
  });
});

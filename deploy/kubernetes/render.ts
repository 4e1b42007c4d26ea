import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { renderManifests, type Manifest } from './manifests.ts';
import { loadValuesFiles } from './values.ts';

/** A manifest as plain data, in the order `kubectl apply` expects its fields (apiVersion, kind, metadata, …). */
export function plain(manifest: Manifest): Record<string, unknown> {
  return JSON.parse(JSON.stringify(manifest.toJSON ? manifest.toJSON() : manifest)) as Record<string, unknown>;
}

/** All manifests as one multi-document YAML stream, each checked against its Kubernetes JSON schema first. */
export function renderYaml(manifests: readonly Manifest[]): string {
  for (const manifest of manifests) manifest.validate?.();
  return manifests.map((manifest) => stringify(plain(manifest), { lineWidth: 0 })).join('---\n');
}

// `npm run deploy:render -- -f deploy/kubernetes/values/managed-postgres.yaml | kubectl apply -f -`
const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const { values } = parseArgs({ options: { values: { type: 'string', short: 'f', multiple: true, default: [] } } });
  process.stdout.write(renderYaml(renderManifests(loadValuesFiles(values.values))));
}

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.ts';

const DASHBOARD = new URL('../../../../deploy/grafana/mascot-dashboard.json', import.meta.url);
const COMPOSITION = new URL('../../app/create-server.ts', import.meta.url);

interface Panel {
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: { expr: string }[];
}

/** What Prometheus stores a histogram as: the dashboard may query its buckets, sum and count. */
const seriesOf = (name: string, type: string) => (type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name]);

async function exportedSeries(): Promise<Set<string>> {
  const metrics = createMetrics();
  const series = new Set<string>();
  for (const metric of await metrics.registry.getMetricsAsJSON()) for (const name of seriesOf(metric.name, String(metric.type))) series.add(name);
  // Gauges read from the database are registered where the server is composed (gaugeOnScrape).
  for (const [, name] of (await readFile(COMPOSITION, 'utf8')).matchAll(/gaugeOnScrape\(\s*'(mascot_[a-z0-9_]+)'/g)) series.add(name!);
  return series;
}

describe('the Grafana dashboard (deploy/grafana/mascot-dashboard.json)', () => {
  it('queries only metrics the server exports, and shows every metric of its own', async () => {
    const dashboard = JSON.parse(await readFile(DASHBOARD, 'utf8')) as { panels: Panel[]; templating: { list: { query: unknown }[] } };
    const exported = await exportedSeries();
    const queries = [
      ...dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)),
      ...dashboard.templating.list.map((variable) => JSON.stringify(variable.query)),
    ];
    const queried = new Set(queries.flatMap((expr) => [...expr.matchAll(/\bmascot_[a-z0-9_]+/g)].map((match) => match[0])));
    expect(queried.size).toBeGreaterThan(10);
    for (const name of queried) expect(exported, `${name} is queried but not exported`).toContain(name);
    // Mascot's own metrics (not the runtime's defaults) each have a panel.
    const own = [...exported].filter((name) => !/^mascot_(process|nodejs)_/.test(name)).map((name) => name.replace(/_(bucket|sum|count)$/, ''));
    for (const name of new Set(own)) expect([...queried].some((q) => q.startsWith(name)), `${name} has no panel`).toBe(true);
  });

  it('has a query on every graph, all through the chosen Prometheus data source', async () => {
    const dashboard = JSON.parse(await readFile(DASHBOARD, 'utf8')) as { panels: Panel[] };
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      expect(panel.datasource?.uid, panel.title).toBe('${datasource}');
    }
  });
});

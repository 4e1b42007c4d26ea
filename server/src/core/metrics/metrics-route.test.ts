import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.ts';
import { metricsRoute } from './metrics-route.ts';

const servers: { close(): void }[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function serve(options: { token: string | undefined; production: boolean }): Promise<string> {
  const app = express().use(metricsRoute(createMetrics(), options));
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

describe('metrics route', () => {
  it('demands the bearer token when one is configured', async () => {
    const url = await serve({ token: 'scrape-token-0123456789', production: true });
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const ok = await fetch(url, { headers: { authorization: 'Bearer scrape-token-0123456789' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/mascot_active_subscriptions/);
  });

  it('is absent in production without a token, and open in development', async () => {
    expect((await fetch(await serve({ token: undefined, production: true }))).status).toBe(404);
    expect((await fetch(await serve({ token: undefined, production: false }))).status).toBe(200);
  });
});

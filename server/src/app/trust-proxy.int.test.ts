import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../test/test-server.ts';

// Visitors behind a load balancer: the test plays the balancer, connecting from 127.0.0.1 and naming
// the client in X-Forwarded-For. Only a server told to trust that hop (MASCOT_TRUST_PROXY) counts the
// clients apart, and it does so alike for HTTP requests and graphql-ws sockets.
const generous = { points: 1_000_000, durationS: 60 };
const rateLimits = { perIp: { points: 3, durationS: 60 }, perApiKey: generous, perTenant: generous };
let trusting: TestServer;
let distrusting: TestServer;

beforeAll(async () => {
  [trusting, distrusting] = await Promise.all([
    startTestServer({ MASCOT_TRUST_PROXY: 'loopback' }, { rateLimits }),
    startTestServer({ MASCOT_TRUST_PROXY: 'false' }, { rateLimits }),
  ]);
});
afterAll(() => Promise.all([trusting?.stop(), distrusting?.stop()]));

type Outcome = { code: string | undefined; limit?: unknown };

async function overHttp(server: TestServer, forwardedFor: string): Promise<Outcome> {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  const body = (await response.json()) as { errors?: { extensions: { code: string; limit?: unknown } }[] };
  const error = body.errors?.[0]?.extensions;
  return { code: error?.code, ...(error?.limit ? { limit: error.limit } : {}) };
}

/** The socket's upgrade request carries X-Forwarded-For, as a balancer in front of the server would add. */
async function overSocket(server: TestServer, forwardedFor: string): Promise<Outcome> {
  class ForwardedWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: { 'x-forwarded-for': forwardedFor } });
    }
  }
  const client = createClient({ url: server.websocketUrl, webSocketImpl: ForwardedWebSocket, retryAttempts: 0, lazy: true });
  try {
    for await (const result of client.iterate({ query: '{ __typename }' })) {
      const error = result.errors?.[0]?.extensions as { code?: string; limit?: unknown } | undefined;
      return { code: error?.code, ...(error?.limit ? { limit: error.limit } : {}) };
    }
    throw new Error('the socket completed without a result');
  } catch (errors) {
    const error = (errors as { extensions?: { code?: string; limit?: unknown } }[])[0]?.extensions;
    return { code: error?.code, ...(error?.limit ? { limit: error.limit } : {}) };
  } finally {
    await client.dispose();
  }
}

const admitted: Outcome = { code: undefined };
const refused: Outcome = { code: 'RATE_LIMITED', limit: 'ip' };

describe('MASCOT_TRUST_PROXY', () => {
  it('counts clients behind a trusted proxy apart, on HTTP and graphql-ws alike', async () => {
    // Client A spends its budget over both transports; the fourth request is refused on either.
    expect(await overHttp(trusting, '198.51.100.10')).toEqual(admitted);
    expect(await overSocket(trusting, '198.51.100.10')).toEqual(admitted);
    expect(await overHttp(trusting, '198.51.100.10')).toEqual(admitted);
    expect(await overSocket(trusting, '198.51.100.10')).toEqual(refused);
    expect(await overHttp(trusting, '198.51.100.10')).toEqual(refused);
    // Client B, behind the same proxy, has its own budget.
    expect(await overSocket(trusting, '198.51.100.11')).toEqual(admitted);
    expect(await overHttp(trusting, '198.51.100.11')).toEqual(admitted);
  });

  it('believes only the hops it trusts: a client cannot pick its address by writing X-Forwarded-For itself', async () => {
    // The client wrote its own X-Forwarded-For entry, then the proxy on loopback appended the peer it saw
    // (192.0.2.7). The walk from the right stops at the first untrusted hop: the client's entry is ignored.
    for (let i = 0; i < 3; i++) expect(await overHttp(trusting, `203.0.113.${50 + i}, 192.0.2.7`)).toEqual(admitted);
    expect(await overSocket(trusting, '203.0.113.99, 192.0.2.7')).toEqual(refused);
  });

  it('counts everyone behind an untrusted proxy as the proxy, on HTTP and graphql-ws alike', async () => {
    expect(await overHttp(distrusting, '198.51.100.10')).toEqual(admitted);
    expect(await overSocket(distrusting, '198.51.100.11')).toEqual(admitted);
    expect(await overHttp(distrusting, '198.51.100.12')).toEqual(admitted);
    expect(await overSocket(distrusting, '198.51.100.13')).toEqual(refused);
    expect(await overHttp(distrusting, '198.51.100.14')).toEqual(refused);
  });
});

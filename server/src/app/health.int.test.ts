import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import { setTimeout } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_UP } from '../test/operations.ts';
import { ownerQuery } from '../test/owner-database.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

async function getJson(url: string) {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function accountRows(): Promise<{ tenants: number; users: number }> {
  const [row] = await ownerQuery<{ tenants: number; users: number }>(
    server.databaseUrl,
    'select (select count(*)::int from tenant) as tenants, (select count(*)::int from app_user) as users',
  );
  return row!;
}

/** Opens a connection and sends a GET up to its last header line, so the server sees a request in progress. */
async function beginRequest(baseUrl: string, path: string) {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\n`);
  await setTimeout(50); // let the server parse the request line: the connection is no longer idle
  let raw = '';
  socket.on('data', (chunk: Buffer) => (raw += chunk.toString()));
  return {
    async finish() {
      const closed = once(socket, 'close');
      socket.end('Connection: close\r\n\r\n');
      await closed;
      const [head = '', body = ''] = raw.split('\r\n\r\n');
      return { statusLine: head.split('\r\n')[0], body };
    },
  };
}

/** A sign-up mutation as a query string, the way a cross-site form or <img> would send it. */
function signUpQueryString(email: string): string {
  const variables = { input: { email, password: 'correct horse battery', tenantName: 'Forged Inc' } };
  return new URLSearchParams({ query: SIGN_UP, variables: JSON.stringify(variables) }).toString();
}

describe('liveness and readiness', () => {
  it('answers /healthz with 200 and status ok', async () => {
    expect(await getJson(`${server.url}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('answers /readyz with 200 once the database and the bus both answer', async () => {
    const { status, body } = await getJson(`${server.url}/readyz`);
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ready', checks: { database: 'ok', bus: 'ok' } });
  });

  it('answers 503 shutting-down to a request already under way and refuses new connections once close has started', async () => {
    const closing = await startTestServer();
    let stopped: Promise<void> | undefined;
    try {
      expect((await getJson(`${closing.url}/readyz`)).status).toBe(200);
      // A load balancer's probe that is mid-request when close() starts must learn we are going away.
      const inFlight = await beginRequest(closing.url, '/readyz');
      stopped = closing.stop();
      const refused = await fetch(`${closing.url}/readyz`).then((r) => r.status, () => 'connection refused');
      const answer = await inFlight.finish();
      expect(answer.statusLine).toBe('HTTP/1.1 503 Service Unavailable');
      expect(JSON.parse(answer.body)).toEqual({ status: 'shutting-down' });
      expect(refused).toBe('connection refused');
      await stopped;
    } finally {
      await (stopped ?? closing.stop());
    }
  });
});

describe('request hygiene on /graphql', () => {
  // GET runs queries only, credentials never ride in cookies and /graphql sends no CORS headers, so a
  // query over GET needs no preflight header (allowGetQueries in graphql-transport.ts says why).
  it.each<Record<string, string>>([{}, { 'apollo-require-preflight': 'true' }, { 'graphql-preflight': '1' }])('serves a query over GET with headers %j', async (headers) => {
    const response = await fetch(`${server.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`, { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses a mutation over GET (405), with or without a CSRF preflight header, and writes nothing', async () => {
    const before = await accountRows();
    const email = `get-${randomUUID()}@example.com`;
    const plain = await fetch(`${server.graphqlUrl}?${signUpQueryString(email)}`);
    const preflighted = await fetch(`${server.graphqlUrl}?${signUpQueryString(email)}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    for (const response of [plain, preflighted]) {
      expect(response.status).toBe(405); // Apollo runs only queries over GET
      expect(((await response.json()) as { data?: unknown }).data).toBeUndefined();
    }
    expect(await accountRows()).toEqual(before);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'refuses a POST with content-type %s as a CSRF risk (400) and writes nothing',
    async (contentType) => {
      const before = await accountRows();
      const response = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: JSON.stringify({
          query: SIGN_UP,
          variables: { input: { email: `csrf-${randomUUID()}@example.com`, password: 'correct horse battery', tenantName: 'Forged' } },
        }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe('BAD_REQUEST');
      expect(await accountRows()).toEqual(before);
    },
  );
});

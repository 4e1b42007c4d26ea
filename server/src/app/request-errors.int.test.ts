import { request as httpRequest } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { isErrorCode } from '@mascot/contracts';
import { signUpAccount, type Account } from '../test/fixtures.ts';
import { graphqlRequest } from '../test/graphql-test-client.ts';
import { sharedTestServer } from '../test/shared-test-server.ts';
import type { TestServer } from '../test/test-server.ts';

// Issue 15, finding 8: bad input of any kind gets a typed answer (GraphQL `extensions.code`, or the JSON
// error body of plain HTTP routes with a 4xx status), never a masked 500 or Express's HTML error page.
let server: TestServer;
let owner: Account;

beforeAll(async () => {
  server = await sharedTestServer();
  owner = await signUpAccount(server.graphqlUrl);
});

const cursor = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const UUID = '0b6f1c9e-2f4a-4c1e-9a63-5d2f0e7b8a11';

interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
}

/** One raw HTTP request, so headers and bodies can be as wrong as a hostile client makes them. */
function raw(method: string, path: string, headers: Record<string, string | number>, body?: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, server.url), { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may answer and close before the whole body is written (413): that is the point.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    req.end(body);
  });
}

/** A 4xx JSON answer with a stable code, in the GraphQL shape or the plain HTTP routes' shape. */
function expectTypedClientError(answer: RawAnswer, status?: number): string {
  expect(answer.contentType, answer.text).toMatch(/^application\/(graphql-response\+)?json/);
  expect(answer.text).not.toMatch(/<html|<pre>|<!DOCTYPE/i);
  if (status !== undefined) expect(answer.status, answer.text).toBe(status);
  expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
  expect(answer.status, answer.text).toBeLessThan(500);
  const body = JSON.parse(answer.text) as { error?: { code: string }; errors?: { extensions?: { code?: string } }[] };
  const code = body.error?.code ?? body.errors?.[0]?.extensions?.code;
  expect(isErrorCode(code), `untyped code ${code}`).toBe(true);
  return code!;
}

describe('forged pagination cursors', () => {
  const forged = [
    cursor(['2026-01-01T00:00:00.000Z', 'not-a-uuid']),
    cursor(['2026-01-01T00:00:00.000Z', `${UUID}' or '1'='1`]),
    cursor(['-271821-04-20T00:00:00.000Z', UUID]),
    cursor(['2026-02-31T00:00:00.000Z', UUID]),
    cursor([0, UUID]),
    cursor([UUID]),
    cursor({ createdAt: '2026-01-01T00:00:00.000Z', id: UUID }),
    cursor('not json'),
    'a'.repeat(5000),
    '!!!',
  ];

  for (const field of ['bots', 'webhookEndpoints', 'apiKeys', 'members', 'auditLog', 'avatars']) {
    it(`answer BAD_USER_INPUT on ${field}, never an internal error`, async () => {
      for (const after of forged) {
        const result = await graphqlRequest(server.graphqlUrl, `query($after: String) { ${field}(after: $after) { pageInfo { endCursor } } }`, { after }, owner.accessToken);
        expect(result.errors?.[0]?.extensions, after).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'after' }] });
      }
    });
  }

  it('still accept the cursors the API hands out', async () => {
    const result = await graphqlRequest(server.graphqlUrl, `query($after: String) { bots(after: $after) { pageInfo { endCursor } } }`, { after: cursor(['2026-01-01T00:00:00.000Z', UUID]) }, owner.accessToken);
    expect(result.errors).toBeUndefined();
  });
});

describe('unreadable request bodies', () => {
  const json = { 'content-type': 'application/json' };
  // POST /graphql takes a fast lane around Express; /graphql/ (and the plain routes) go through Express.
  for (const path of ['/graphql', '/graphql/']) {
    it(`${path}: invalid JSON, an oversized body, a foreign charset and a non-JSON type get 4xx JSON with a code`, async () => {
      expectTypedClientError(await raw('POST', path, json, '{"query": "{ __typename }"'), 400);
      expectTypedClientError(await raw('POST', path, json, `{"query":"{ __typename }","x":"${'x'.repeat(1100 * 1024)}"}`), 413);
      expectTypedClientError(await raw('POST', path, { 'content-type': 'application/json; charset=latin1' }, '{"query":"{ __typename }"}'), 415);
      expectTypedClientError(await raw('POST', path, { ...json, 'content-encoding': 'compress' }, '{"query":"{ __typename }"}'), 415);
      expectTypedClientError(await raw('POST', path, { 'content-type': 'text/plain' }, '{"query":"{ __typename }"}'));
    });
  }
});

describe('plain HTTP routes', () => {
  it('answer unknown paths, malformed paths and oversized uploads with JSON codes, not HTML', async () => {
    expect(expectTypedClientError(await raw('GET', '/no/such/route', {}), 404)).toBe('NOT_FOUND');
    expectTypedClientError(await raw('GET', '/widget/config/%E0%A4%A', {}), 400);
    expectTypedClientError(await raw('PUT', '/uploads/knowledge/%E0%A4%A', { 'content-type': 'application/octet-stream' }, 'x'));
    expectTypedClientError(await raw('GET', '/analytics/export.csv', {}));
  });
});

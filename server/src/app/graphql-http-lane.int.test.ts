import { beforeAll, describe, expect, it } from 'vitest';
import { sharedTestServer } from '../test/shared-test-server.ts';
import type { TestServer } from '../test/test-server.ts';

// POST /graphql is served beside the Express app (graphql-http-lane.ts); what a client sees must be what
// the Express route gave: the same headers, limits and refusals.
let server: TestServer;
beforeAll(async () => {
  server = await sharedTestServer();
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('POST /graphql', () => {
  it('answers with the security headers and request id of every response, and no ETag', async () => {
    const response = await post(JSON.stringify({ query: '{ __typename }' }), { 'x-request-id': 'lane-test-1' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    expect(response.headers.get('x-request-id')).toBe('lane-test-1');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('etag')).toBeNull();
  });

  it('refuses an unreadable body with a typed 4xx, never a 500', async () => {
    const malformed = await post('{"query":');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    expect(malformed.headers.get('x-request-id')).toBeTruthy();

    const oversized = await post(JSON.stringify({ query: `{ __typename } #${'x'.repeat(1_100_000)}` }));
    expect(oversized.status).toBe(413);
    expect(await oversized.json()).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('keeps CSRF prevention: a simple cross-site request is refused', async () => {
    const response = await post(JSON.stringify({ query: '{ __typename }' }), { 'content-type': 'text/plain' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/Cross-Site Request Forgery/);
  });

  it('leaves GET /graphql to the Express app (the explorer for browsers)', async () => {
    const response = await fetch(server.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
  });
});

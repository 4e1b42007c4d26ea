import { buildSchema, parse } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../auth/index.ts';
import { RATE_LIMIT_HEADER, RATE_LIMIT_POLICY_HEADER, rateLimited, type RequestToLimit } from '../rate-limit/index.ts';
import { createErrorFormatter } from './error-formatter.ts';
import { createOperationPipeline } from './operation-pipeline.ts';

const schema = buildSchema('type Query { a: Int, b: Int, me: String }');
const anonymous: Principal = { kind: 'anonymous' };

/** A pipeline over budgets that refuse past `allowed` points, recording what was charged and counted. */
function pipelineWith(allowed: number) {
  const charged: RequestToLimit[] = [];
  const started: string[] = [];
  const failed: string[] = [];
  let spent = 0;
  const pipeline = createOperationPipeline({
    schema,
    production: true,
    formatError: createErrorFormatter(pino({ level: 'silent' }), { hideSuggestions: true }),
    rateLimits: {
      consumeRequest: async (request) => {
        charged.push(request);
        spent += request.points ?? 1;
        if (spent > allowed) throw rateLimited(30_000, 'ip');
        return { limit: 'ip', remaining: allowed - spent, resetAfterS: 60, budgets: [{ limit: 'ip', quota: allowed, remaining: allowed - spent, resetAfterS: 60, windowS: 60 }] };
      },
      requestStatus: () => ({ limit: 'ip', remaining: Math.max(0, allowed - spent), resetAfterS: 60 }),
    },
    metrics: {
      operationLabel: (name) => name ?? 'anonymous',
      operationStarted: ({ operation, transport }) => (started.push(`${operation}/${transport}`), () => undefined),
      operationFailed: ({ operation, code, transport }) => void failed.push(`${operation}/${code}/${transport}`),
    },
  });
  return { pipeline, charged, started, failed };
}

describe('the operation pipeline', () => {
  it('prepares a document within the limits, refusing what does not parse or validate with the codes Apollo uses', () => {
    const { pipeline } = pipelineWith(100);
    expect(pipeline.prepare('{ a }').document).toBeDefined();
    expect(pipeline.prepare('{ a').errors?.map((e) => e.extensions['code'])).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(pipeline.prepare('{ nope }').errors?.map((e) => e.extensions['code'])).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const aliases = `{ ${Array.from({ length: 16 }, (_, i) => `x${i}: a`).join(' ')} }`;
    expect(pipeline.prepare(aliases).errors?.map((e) => e.message)).toEqual(['Aliases limit of 15 exceeded, found 16.']);
  });

  it('refuses introspection to a caller who may not read the schema before charging anything', async () => {
    const { pipeline, charged, started } = pipelineWith(100);
    const admission = await pipeline.admit({ caller: { principal: anonymous, ip: '203.0.113.9' }, document: parse('{ __schema { types { name } } }'), operationName: null, transport: 'ws' });
    expect(admission.refused?.extensions['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(charged).toEqual([]);
    expect(started).toEqual([]);
  });

  it('charges by cost to the address, counts the operation, and refuses with a 429 past the budget', async () => {
    const { pipeline, charged, started } = pipelineWith(3);
    const caller = { principal: anonymous, ip: '203.0.113.9' };
    const first = await pipeline.admit({ caller, document: parse('query Two { a b }'), operationName: 'Two', transport: 'http' });
    expect(first.refused).toBeUndefined();
    expect(first.rateLimitHeaders.map(([name]) => name)).toEqual([RATE_LIMIT_POLICY_HEADER, RATE_LIMIT_HEADER]);
    expect(charged).toEqual([{ ip: '203.0.113.9', points: 2 }]);
    expect(started).toEqual(['Two/http']);
    const second = await pipeline.admit({ caller, document: parse('query Two { a b }'), operationName: 'Two', transport: 'ws' });
    expect(second.refused?.extensions['http']).toMatchObject({ status: 429 });
    expect(started).toEqual(['Two/http']);
  });

  it('counts a failure by the code the client sees', () => {
    const { pipeline, failed } = pipelineWith(100);
    pipeline.failed('Op', [rateLimited(1000, 'ip')], 'ws');
    pipeline.failed(undefined, [new Error('boom')], 'http');
    expect(failed).toEqual(['Op/RATE_LIMITED/ws', 'anonymous/INTERNAL_SERVER_ERROR/http']);
  });
});

import { buildSchema, graphql, GraphQLError } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/index.ts';
import { createErrorFormatter } from './error-formatter.ts';

const schema = buildSchema(`
  enum Tone { FRIENDLY CONCISE }
  type Query { echo(tone: Tone!): String, secret: String }
`);
const rootValue = {
  echo: ({ tone }: { tone: string }) => tone,
  secret: () => {
    throw new Error('password authentication failed for user "mascot"');
  },
};

function formatterWithLog(hideSuggestions: boolean) {
  const lines: Record<string, any>[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { format: createErrorFormatter(logger, { hideSuggestions }), lines };
}

/** Runs `source` with graphql-js alone, as graphql-ws does, and formats its first error. */
async function firstError(hideSuggestions: boolean, source: string, variableValues?: Record<string, unknown>, requestId?: string) {
  const { format, lines } = formatterWithLog(hideSuggestions);
  const result = await graphql({ schema, source, rootValue, variableValues });
  const error = result.errors![0]!;
  return { formatted: format(error.toJSON(), error, requestId), lines };
}

describe('createErrorFormatter', () => {
  it('masks an unexpected error with its request id and logs the original under the same id', async () => {
    const { formatted, lines } = await firstError(true, '{ secret }', undefined, 'req-42');
    expect(formatted).toEqual({ message: 'Internal server error.', path: ['secret'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-42' } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'unexpected error', requestId: 'req-42', path: ['secret'] });
    expect(lines[0]!['err'].message).toContain('password authentication failed');
  });

  it('reports an enum variable the caller got wrong as BAD_USER_INPUT, not as a server error', async () => {
    const { formatted, lines } = await firstError(false, 'query ($tone: Tone!) { echo(tone: $tone) }', { tone: 'FRIENDLI' });
    expect(formatted.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(formatted.message).toMatch(/^Variable "\$tone" got invalid value "FRIENDLI"; Value "FRIENDLI" does not exist in "Tone" enum\. Did you mean the enum value "FRIENDLY"\?$/);
    expect(lines).toEqual([]);
  });

  it('drops "Did you mean" from validation and coercion messages when hiding suggestions', async () => {
    const typo = await firstError(true, '{ secrt }');
    expect(typo.formatted).toEqual({ message: 'Cannot query field "secrt" on type "Query".', locations: [{ line: 1, column: 3 }], path: undefined, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const inline = await firstError(true, '{ echo(tone: FRIENDLI) }');
    expect(inline.formatted.message).toBe('Value "FRIENDLI" does not exist in "Tone" enum.');
    const variable = await firstError(true, 'query ($tone: Tone!) { echo(tone: $tone) }', { tone: 'FRIENDLI' });
    expect(variable.formatted.message).toBe('Variable "$tone" got invalid value "FRIENDLI"; Value "FRIENDLI" does not exist in "Tone" enum.');
  });

  it('keeps suggestions outside production', async () => {
    expect((await firstError(false, '{ secrt }')).formatted.message).toMatch(/^Cannot query field "secrt" on type "Query". Did you mean "secret"/);
  });

  it('passes domain errors through with their code and details', () => {
    const { format, lines } = formatterWithLog(true);
    const domain = DomainError.notFound('Bot');
    const wrapped = new GraphQLError(domain.message, { originalError: domain, path: ['bot'] });
    expect(format(wrapped.toJSON(), wrapped, 'req-1')).toEqual({
      message: 'Bot not found.',
      locations: undefined,
      path: ['bot'],
      extensions: { code: 'NOT_FOUND', entity: 'Bot' },
    });
    expect(lines).toEqual([]);
  });
});

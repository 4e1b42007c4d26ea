import { GraphQLBoolean, GraphQLInt, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createSharedSubscriptions } from './shared-execution.ts';

interface Tick {
  n: number;
}

/** A schema whose subscriptions hand every subscriber the same event objects, as the conversation hub does. */
function setup(events: Tick[]) {
  let resolved = 0;
  const Tick = new GraphQLObjectType({
    name: 'Tick',
    fields: {
      n: { type: GraphQLInt, resolve: (tick: Tick) => (resolved++, tick.n) },
      label: { type: GraphQLString, args: { loud: { type: GraphQLBoolean } }, resolve: (tick: Tick, args) => (args['loud'] ? `TICK ${tick.n}` : `tick ${tick.n}`) },
    },
  });
  const source = () => ({
    async *[Symbol.asyncIterator]() {
      yield* events;
    },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLBoolean } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        ticks: { type: Tick, args: { after: { type: GraphQLInt } }, subscribe: source, resolve: (tick: Tick) => tick },
        otherTicks: { type: Tick, subscribe: source, resolve: (tick: Tick) => tick },
      },
    }),
  });
  const outcomes: string[] = [];
  const subscribe = createSharedSubscriptions({
    passthroughFields: new Set(['ticks']),
    scopeOf: (context) => String((context as { scope: string }).scope),
    onEvent: (outcome) => outcomes.push(outcome),
  });
  const start = (query: string, variableValues: Record<string, unknown>, scope = 'a') =>
    subscribe({ schema, document: parse(query), variableValues, contextValue: { scope } });
  const run = async (query: string, variableValues: Record<string, unknown>, scope = 'a') => {
    const stream = (await start(query, variableValues, scope)) as AsyncIterable<ExecutionResult>;
    const results: ExecutionResult[] = [];
    for await (const result of stream) results.push(result);
    return results;
  };
  return { start, run, outcomes, resolved: () => resolved };
}

const TICKS = 'subscription ($after: Int, $loud: Boolean) { ticks(after: $after) { n label(loud: $loud) } }';

describe('createSharedSubscriptions', () => {
  it('executes an event once for subscribers whose selection differs only in the root field’s arguments', async () => {
    const events = [{ n: 1 }, { n: 2 }];
    const { run, outcomes, resolved } = setup(events);
    const [a, b, c] = await Promise.all([run(TICKS, { after: 0 }), run(TICKS, { after: 7 }), run(TICKS, {})]);
    expect(a).toEqual([{ data: { ticks: { n: 1, label: 'tick 1' } } }, { data: { ticks: { n: 2, label: 'tick 2' } } }]);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(b[0]).toBe(a[0]); // the same result object: serialized once too (shared-frames.ts)
    expect(resolved()).toBe(2);
    expect(outcomes.filter((o) => o === 'executed')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'shared')).toHaveLength(4);
  });

  it('executes again where variables used in the selection differ', async () => {
    const { run, resolved } = setup([{ n: 1 }]);
    const [quiet, loud] = await Promise.all([run(TICKS, { loud: false }), run(TICKS, { loud: true })]);
    expect(quiet[0]!.data).toEqual({ ticks: { n: 1, label: 'tick 1' } });
    expect(loud[0]!.data).toEqual({ ticks: { n: 1, label: 'TICK 1' } });
    expect(resolved()).toBe(2);
  });

  it('never shares a result between callers of different scopes', async () => {
    const { run, outcomes } = setup([{ n: 1 }]);
    await Promise.all([run(TICKS, {}, 'tenant-a'), run(TICKS, {}, 'tenant-b')]);
    expect(outcomes).toEqual(['executed', 'executed']);
  });

  it('executes fields not declared passthrough per subscriber, as graphql-js does', async () => {
    const { run, outcomes, resolved } = setup([{ n: 1 }]);
    const query = 'subscription { otherTicks { n } }';
    const [a, b] = await Promise.all([run(query, {}), run(query, {})]);
    expect(a).toEqual(b);
    expect(resolved()).toBe(2);
    expect(outcomes).toEqual([]);
  });

  it('returns the errors of a subscription that cannot start instead of a stream', async () => {
    const { start } = setup([]);
    const result = await start('subscription ($after: Int!) { ticks(after: $after) { n } }', {});
    expect(Symbol.asyncIterator in result).toBe(false);
    expect((result as ExecutionResult).errors?.[0]?.message).toMatch(/\$after/);
  });
});

import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationCost } from './operation-cost.ts';

const cost = (source: string, operationName?: string) => operationCost(parse(source), operationName);

describe('operationCost', () => {
  it('charges one point per top-level field', () => {
    expect(cost('{ me { id } bots { edges { node { id name } } } }')).toBe(2);
  });

  it('counts aliases of the same field individually', () => {
    const aliases = Array.from({ length: 10 }, (_, i) => `a${i + 1}: me { id }`).join(' ');
    expect(cost(`query Many { ${aliases} }`)).toBe(10);
  });

  it('charges a field repeated without alias once, as GraphQL executes it once', () => {
    expect(cost('{ me { id } me { email } }')).toBe(1);
  });

  it('does not count nested selections', () => {
    expect(cost('{ me { a: id b: id c: id memberships { tenant { id } } } }')).toBe(1);
  });

  it('expands fragment spreads and inline fragments at the top level', () => {
    expect(
      cost(`
        query Q { ...Roots ... on Query { c: me { id } } d: me { id } }
        fragment Roots on Query { a: me { id } b: me { id } ...More }
        fragment More on Query { e: me { id } }
      `),
    ).toBe(5);
  });

  it('stays linear on exponential fragment chains and terminates on cycles', () => {
    const levels = 40;
    const chain = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { f${i}: me { id } ...F${i + 1} ...F${i + 1} }`);
    const started = performance.now();
    expect(cost(`{ ...F0 } ${chain.join(' ')} fragment F${levels} on Query { ...F0 }`)).toBe(levels);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('ignores @skip and @include, so a variable cannot lower the price', () => {
    expect(cost('query Q($no: Boolean!) { a: me @skip(if: $no) { id } b: me @include(if: $no) { id } }')).toBe(2);
  });

  it('prices the named operation of a document with several', () => {
    const document = 'query One { a: me { id } } query Three { a: me { id } b: me { id } c: me { id } }';
    expect(cost(document, 'One')).toBe(1);
    expect(cost(document, 'Three')).toBe(3);
  });

  it('charges the dearest operation when the choice is unclear, as validation will reject it anyway', () => {
    const document = 'query One { a: me { id } } query Three { a: me { id } b: me { id } c: me { id } }';
    expect(cost(document)).toBe(3);
    expect(cost(document, 'Missing')).toBe(3);
  });

  it('counts mutations and subscriptions the same way and never charges less than 1', () => {
    expect(cost('mutation { a: logout b: logout }')).toBe(2);
    expect(cost('subscription S { conversationEvents(conversationId: "x") { __typename } }')).toBe(1);
    expect(cost('{ ...Unknown }')).toBe(1);
    expect(cost('fragment F on Query { me { id } }')).toBe(1);
  });
});

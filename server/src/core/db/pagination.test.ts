import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/index.ts';
import { decodeCursor, encodeCursor, keysetQuery, keysetRequest, keysetSql, lazily, toKeysetPage, type PageCursor } from './pagination.ts';

const ID = '0b6f1c9e-2f4a-4c1e-9a63-5d2f0e7b8a11';
const encoded = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('page cursors', () => {
  it('read back exactly what they encode', () => {
    const position = { createdAt: new Date('2026-12-07T11:30:33.123Z'), id: ID };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('refuse anything else with BAD_USER_INPUT on `after`, before any of it reaches SQL', () => {
    for (const forged of [
      encoded(['2026-01-01T00:00:00.000Z', 'not-a-uuid']),
      encoded(['-271821-04-20T00:00:00.000Z', ID]),
      encoded(['+275760-09-13T00:00:00.000Z', ID]),
      encoded(['2026-02-31T00:00:00.000Z', ID]),
      encoded(['2026-01-01', ID]),
      encoded([0, ID]),
      encoded(['2026-01-01T00:00:00.000Z', ID, 'extra']),
      encoded({ createdAt: '2026-01-01T00:00:00.000Z', id: ID }),
      encoded('null'),
      encoded('not json'),
      `${encodeCursor({ createdAt: new Date(0), id: ID })}=`,
      'x'.repeat(200),
      '',
    ]) {
      let error: unknown;
      try {
        decodeCursor(forged);
      } catch (caught) {
        error = caught;
      }
      expect(error, forged).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('BAD_USER_INPUT');
      expect((error as DomainError).details.fieldErrors).toEqual([{ field: 'after', message: 'is not a cursor from this API' }]);
    }
  });
});

/** Rows as a table would hold them, in list order (newest first), ties in time broken by id. */
const rows: PageCursor[] = [
  { createdAt: new Date('2026-12-07T10:00:03.000Z'), id: '00000000-0000-4000-8000-000000000005' },
  { createdAt: new Date('2026-12-07T10:00:02.000Z'), id: '00000000-0000-4000-8000-000000000004' },
  { createdAt: new Date('2026-12-07T10:00:02.000Z'), id: '00000000-0000-4000-8000-000000000003' },
  { createdAt: new Date('2026-12-07T10:00:01.000Z'), id: '00000000-0000-4000-8000-000000000002' },
  { createdAt: new Date('2026-12-07T10:00:00.000Z'), id: '00000000-0000-4000-8000-000000000001' },
];
const newestFirst = (x: PageCursor, y: PageCursor) => y.createdAt.getTime() - x.createdAt.getTime() || (y.id < x.id ? -1 : y.id > x.id ? 1 : 0);

/** Runs keysetQuery's condition and order over `rows` in memory, as PostgreSQL would. */
function read(args: Parameters<typeof keysetRequest>[0]) {
  const request = keysetRequest(args);
  const query = keysetQuery(request, { timeField: 'createdAt', direction: 'desc' });
  const past = (row: PageCursor, bound: { $or: [{ createdAt: Record<string, Date> }, { createdAt: Date; id: Record<string, string> }] }) => {
    const [op, at] = Object.entries(bound.$or[0].createdAt)[0]!;
    const id = Object.values(bound.$or[1].id)[0]!;
    const t = row.createdAt.getTime();
    return op === '$lt' ? t < at.getTime() || (t === at.getTime() && row.id < id) : t > at.getTime() || (t === at.getTime() && row.id > id);
  };
  const bounds = ((query.where as { $and?: unknown[] }).$and ?? []) as Parameters<typeof past>[1][];
  const matching = rows.filter((row) => bounds.every((bound) => past(row, bound)));
  const ordered = query.orderBy.createdAt === 'desc' ? matching.sort(newestFirst) : matching.sort((x, y) => newestFirst(y, x));
  return toKeysetPage(ordered.slice(0, query.limit), request, (row) => row, (row) => row.id.slice(-1));
}

describe('two-way keyset pages', () => {
  it('page forward and backward through ties in time, in list order, with Relay pageInfo', () => {
    const first = read({ first: 2 });
    expect(first.edges.map((e) => e.node)).toEqual(['5', '4']);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, startCursor: first.edges[0]!.cursor, endCursor: first.edges[1]!.cursor });
    const second = read({ first: 2, after: first.pageInfo.endCursor });
    expect(second.edges.map((e) => e.node)).toEqual(['3', '2']);
    expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(read({ first: 2, after: second.pageInfo.endCursor }).pageInfo.hasNextPage).toBe(false);

    const last = read({ last: 2 });
    expect(last.edges.map((e) => e.node)).toEqual(['2', '1']);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const before = read({ last: 2, before: last.pageInfo.startCursor });
    expect(before.edges.map((e) => e.node)).toEqual(['4', '3']);
    expect(before.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(read({ last: 5, before: before.pageInfo.startCursor }).edges.map((e) => e.node)).toEqual(['5']);
    expect(read({ first: 5, after: first.pageInfo.startCursor, before: last.pageInfo.endCursor }).edges.map((e) => e.node)).toEqual(['4', '3', '2']);
  });

  it('refuse first with last, sizes out of range and foreign cursors with BAD_USER_INPUT naming the argument', () => {
    for (const [args, field] of [
      [{ first: 1, last: 1 }, 'last'],
      [{ first: 0 }, 'first'],
      [{ last: 101 }, 'last'],
      [{ last: 1.5 }, 'last'],
      [{ before: 'nope' }, 'before'],
      [{ after: 'nope' }, 'after'],
    ] as const) {
      let error: unknown;
      try {
        keysetRequest(args);
      } catch (caught) {
        error = caught;
      }
      expect((error as DomainError).code, JSON.stringify(args)).toBe('BAD_USER_INPUT');
      expect((error as DomainError).details.fieldErrors?.[0]?.field).toBe(field);
    }
  });

  it('count lazily: nothing runs until the total is awaited, and it runs once', async () => {
    let runs = 0;
    const total = lazily(async () => ++runs);
    expect(runs).toBe(0);
    expect(await total).toBe(1);
    expect(await total).toBe(1);
    expect(runs).toBe(1);
  });

  it('bound raw SQL as keysetQuery bounds the ORM: row-value comparisons past each cursor, read backward for last', () => {
    const [newer, older] = [rows[0]!, rows[4]!];
    const request = keysetRequest({ last: 2, after: encodeCursor(newer), before: encodeCursor(older) });
    expect(keysetSql(request, { timeField: 'createdAt', direction: 'desc' }, { time: 't', id: 'id' })).toEqual({
      where: '(t, id) < (?::timestamptz, ?::uuid) and (t, id) > (?::timestamptz, ?::uuid)',
      params: [newer.createdAt, newer.id, older.createdAt, older.id],
      orderBy: 't asc, id asc',
      limit: 3,
    });
    expect(keysetSql(keysetRequest({}), { timeField: 'createdAt', direction: 'desc' }, { time: 't', id: 'id' })).toMatchObject({ where: 'true', params: [], orderBy: 't desc, id desc', limit: 21 });
  });
});

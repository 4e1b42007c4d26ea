import type { EntityName, FilterQuery, OrderDefinition } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, isUuid } from '../errors/index.ts';
import { inTenant } from './tenant-scope.ts';

/** Pages are bounded: a client cannot ask for the whole table. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** A page as services return it; the GraphQL layer exposes it as a Relay connection. */
export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfoData;
  /**
   * Items matching the list's filters over all pages (connections built with `totalCount`): a `lazily`
   * thenable, so the count runs only when a client selects the field and GraphQL awaits it.
   */
  totalCount?: PromiseLike<number>;
}

/** A promise-like that starts `load` only when first awaited (then once): work no client asked for is never done. */
export function lazily<T>(load: () => Promise<T>): PromiseLike<T> {
  let loading: Promise<T> | undefined;
  return {
    then: (onFulfilled, onRejected) => (loading ??= load()).then(onFulfilled, onRejected),
  };
}

/** Relay's PageInfo. */
export interface PageInfoData {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** Keyset position: items are ordered newest first by (createdAt, id). */
export interface PageCursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(position: PageCursor): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');
}

/** What encodeCursor writes: base64url of `["<ISO instant>","<uuid>"]`, nothing longer. */
const MAX_CURSOR_LENGTH = 128;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function invalidCursor(field: string, cause?: unknown): DomainError {
  const returned = field === 'before' ? 'a startCursor' : 'an endCursor';
  return new DomainError('BAD_USER_INPUT', `The cursor is not valid; pass ${returned} returned by this API.`, {
    fieldErrors: [{ field, message: 'is not a cursor from this API' }],
  }, cause === undefined ? undefined : { cause });
}

/**
 * Reads a cursor back, accepting exactly what encodeCursor writes. Cursors are opaque but client-held,
 * so anything else is the caller's mistake (BAD_USER_INPUT), never a database error: a forged id that
 * is no UUID or an instant PostgreSQL cannot store used to reach SQL and come back as a masked 500
 * (issue 15, finding 8).
 */
export function decodeCursor(cursor: string, field = 'after'): PageCursor {
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) throw invalidCursor(field);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw invalidCursor(field, error);
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalidCursor(field);
  const [createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== 'string' || typeof id !== 'string' || !ISO_INSTANT.test(createdAt) || !isUuid(id)) throw invalidCursor(field);
  const date = new Date(createdAt);
  // The round trip rejects impossible dates such as 2026-02-31 that Date would roll over.
  if (Number.isNaN(date.getTime()) || date.toISOString() !== createdAt) throw invalidCursor(field);
  return { createdAt: date, id: id.toLowerCase() };
}

function pageSize(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
    throw DomainError.invalidInput([{ field, message: `must be between 1 and ${MAX_PAGE_SIZE}` }]);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------
// Keyset pages both ways (Relay first/after and last/before) over any time column with an id tiebreak:
// every list of the API pages this way.

export type SortDirection = 'asc' | 'desc';

/**
 * A page asked for with first/after (forward) or last/before (backward), validated. `after` and
 * `before` may both be given (a window between two cursors), first and last may not.
 */
export interface KeysetRequest {
  direction: 'forward' | 'backward';
  limit: number;
  after: PageCursor | undefined;
  before: PageCursor | undefined;
}

export function keysetRequest(args: { first?: number | null; after?: string | null; last?: number | null; before?: string | null }): KeysetRequest {
  if (args.first != null && args.last != null) {
    throw DomainError.invalidInput([{ field: 'last', message: 'cannot be combined with first; page forward or backward' }]);
  }
  const after = args.after ? decodeCursor(args.after, 'after') : undefined;
  const before = args.before ? decodeCursor(args.before, 'before') : undefined;
  if (args.last != null) return { direction: 'backward', limit: pageSize(args.last, 'last'), after, before };
  return { direction: 'forward', limit: pageSize(args.first ?? DEFAULT_PAGE_SIZE, 'first'), after, before };
}

/** How a list is sorted: by `timeField`, then id in the same direction, so equal times still have one order. */
export interface KeysetOrder {
  timeField: string;
  direction: SortDirection;
}

const flip = (direction: SortDirection): SortDirection => (direction === 'asc' ? 'desc' : 'asc');

/** The ORM condition for rows strictly past `cursor` in `direction` (the tiebreak included). */
function pastCursor(cursor: PageCursor, field: string, direction: SortDirection) {
  const op = direction === 'asc' ? '$gt' : '$lt';
  return { $or: [{ [field]: { [op]: cursor.createdAt } }, { [field]: cursor.createdAt, id: { [op]: cursor.id } }] };
}

/**
 * The ORM condition and ordering for one keyset page: rows after `after` and before `before` in the
 * list's order, read in that order when paging forward and in the reverse one when paging backward
 * (the rows nearest to `before` first), with one row beyond the limit to tell whether more follow.
 */
export function keysetQuery(request: KeysetRequest, order: KeysetOrder) {
  const bounds = [
    ...(request.after ? [pastCursor(request.after, order.timeField, order.direction)] : []),
    ...(request.before ? [pastCursor(request.before, order.timeField, flip(order.direction))] : []),
  ];
  const readDirection = request.direction === 'forward' ? order.direction : flip(order.direction);
  return {
    where: bounds.length === 0 ? {} : { $and: bounds },
    orderBy: { [order.timeField]: readDirection, id: readDirection },
    limit: request.limit + 1,
  };
}

/**
 * Builds the connection from the rows `keysetQuery` read (`position` gives each row's cursor value).
 * Edges are always in the list's order. The far side is known from the extra row; the near side from
 * the cursor the client came from: a row sits at it, so there is something on that side (Relay lets a
 * server answer that side cheaply).
 */
export function toKeysetPage<Row, T>(rows: Row[], request: KeysetRequest, position: (row: Row) => PageCursor, toNode: (row: Row) => T): Page<T> {
  const more = rows.length > request.limit;
  const page = rows.slice(0, request.limit);
  if (request.direction === 'backward') page.reverse();
  const edges = page.map((row) => ({ cursor: encodeCursor(position(row)), node: toNode(row) }));
  const forward = request.direction === 'forward';
  return {
    edges,
    pageInfo: {
      hasNextPage: forward ? more : request.before !== undefined,
      hasPreviousPage: forward ? request.after !== undefined : more,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** Newest first by creation: the order of most lists. */
export const NEWEST_FIRST: KeysetOrder = { timeField: 'createdAt', direction: 'desc' };

/** One keyset page of `entity` rows matching `where`, in `order`; edges hold the rows. */
export async function findPage<E extends { id: string }>(
  tx: EntityManager,
  entity: EntityName<E>,
  where: FilterQuery<E>,
  request: KeysetRequest,
  order: KeysetOrder = NEWEST_FIRST,
): Promise<Page<E>> {
  const query = keysetQuery(request, order);
  const rows = await tx.find(entity, { $and: [where, query.where] } as FilterQuery<E>, {
    orderBy: query.orderBy as OrderDefinition<E>,
    limit: query.limit,
  });
  const position = (row: E): PageCursor => ({ createdAt: (row as Record<string, unknown>)[order.timeField] as Date, id: row.id });
  return toKeysetPage(rows, request, position, (row) => row);
}

/** The same page with each node mapped (a view of the row, what a caller may see of it). */
export function mapNodes<A, B>(page: Page<A>, toNode: (node: A) => B): Page<B> {
  return { ...page, edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: toNode(edge.node) })) };
}

/** A tenant's list as most services expose it: the rows of one entity matching a filter. */
export interface TenantList<E extends { id: string }> {
  entity: EntityName<E>;
  /** The filter, built anew for each of the two queries (MikroORM consumes a raw fragment's key once). */
  where: () => FilterQuery<E>;
  order?: KeysetOrder;
  /** Runs before the page is read, in its transaction: a parent that is not the tenant's throws NOT_FOUND. */
  check?: (tx: EntityManager) => Promise<unknown>;
}

/**
 * One page of a tenant's list and its totalCount. Both read in tenant transactions (ORM filter and
 * row-level security); the count runs in its own, and only when a client selects it (`lazily`).
 */
export async function listInTenant<E extends { id: string }>(em: EntityManager, tenantId: string, list: TenantList<E>, request: KeysetRequest): Promise<Page<E>> {
  const page = await inTenant(em, tenantId, async (tx) => {
    await list.check?.(tx);
    return findPage(tx, list.entity, list.where(), request, list.order);
  });
  return { ...page, totalCount: lazily(() => inTenant(em, tenantId, (tx) => tx.count(list.entity, list.where()))) };
}

/**
 * keysetQuery for raw SQL over a row source with a time column and an id column (both selected as named):
 * the WHERE condition, its parameters and the ORDER BY, read as keysetQuery reads them. Row-value
 * comparison `(t, id) < (?, ?)` is the tiebreak in one index-friendly condition.
 */
export function keysetSql(request: KeysetRequest, order: KeysetOrder, columns: { time: string; id: string }) {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const bound = (cursor: PageCursor, direction: SortDirection) => {
    conditions.push(`(${columns.time}, ${columns.id}) ${direction === 'asc' ? '>' : '<'} (?::timestamptz, ?::uuid)`);
    params.push(cursor.createdAt, cursor.id);
  };
  if (request.after) bound(request.after, order.direction);
  if (request.before) bound(request.before, flip(order.direction));
  const read = request.direction === 'forward' ? order.direction : flip(order.direction);
  return {
    where: conditions.length === 0 ? 'true' : conditions.join(' and '),
    params,
    orderBy: `${columns.time} ${read}, ${columns.id} ${read}`,
    limit: request.limit + 1,
  };
}

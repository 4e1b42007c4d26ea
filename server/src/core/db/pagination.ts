import { DomainError } from '../errors/index.ts';

/** Pages are bounded: a client cannot ask for the whole table. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** A page as services return it; the GraphQL layer exposes it as a Relay connection. */
export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Keyset position: items are ordered newest first by (createdAt, id). */
export interface PageCursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(position: PageCursor): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): PageCursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(createdAt);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { createdAt: date, id };
  } catch (error) {
    throw new DomainError('BAD_USER_INPUT', 'The cursor is not valid; pass an endCursor returned by this API.', {
      fieldErrors: [{ field: 'after', message: 'is not a cursor from this API' }],
    }, { cause: error });
  }
}

export interface PageRequest {
  limit: number;
  after: PageCursor | undefined;
}

export function pageRequest(args: { first?: number | null; after?: string | null }): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw DomainError.invalidInput([{ field: 'first', message: `must be between 1 and ${MAX_PAGE_SIZE}` }]);
  }
  return { limit: first, after: args.after ? decodeCursor(args.after) : undefined };
}

/** Builds the connection from one extra row fetched beyond the limit (that row only signals a next page). */
export function toPage<Row extends PageCursor, T>(rows: Row[], limit: number, toNode: (row: Row) => T): Page<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((row) => ({ cursor: encodeCursor(row), node: toNode(row) }));
  return { edges, pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null } };
}

/**
 * The ORM condition for "after this cursor" in newest-first (`timeField` desc, id desc) order; the
 * cursor's createdAt carries the value of `timeField`.
 */
export function afterCursorWhere(after: PageCursor | undefined, timeField = 'createdAt') {
  if (!after) return {};
  return {
    $or: [{ [timeField]: { $lt: after.createdAt } }, { [timeField]: after.createdAt, id: { $lt: after.id } }],
  };
}

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

/** What encodeCursor writes: base64url of `["<ISO instant>","<uuid>"]`, nothing longer. */
const MAX_CURSOR_LENGTH = 128;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalidCursor(cause?: unknown): DomainError {
  return new DomainError('BAD_USER_INPUT', 'The cursor is not valid; pass an endCursor returned by this API.', {
    fieldErrors: [{ field: 'after', message: 'is not a cursor from this API' }],
  }, cause === undefined ? undefined : { cause });
}

/**
 * Reads a cursor back, accepting exactly what encodeCursor writes. Cursors are opaque but client-held,
 * so anything else is the caller's mistake (BAD_USER_INPUT), never a database error: a forged id that
 * is no UUID or an instant PostgreSQL cannot store used to reach SQL and come back as a masked 500
 * (issue 15, finding 8).
 */
export function decodeCursor(cursor: string): PageCursor {
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) throw invalidCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw invalidCursor(error);
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalidCursor();
  const [createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== 'string' || typeof id !== 'string' || !ISO_INSTANT.test(createdAt) || !UUID.test(id)) throw invalidCursor();
  const date = new Date(createdAt);
  // The round trip rejects impossible dates such as 2026-02-31 that Date would roll over.
  if (Number.isNaN(date.getTime()) || date.toISOString() !== createdAt) throw invalidCursor();
  return { createdAt: date, id: id.toLowerCase() };
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

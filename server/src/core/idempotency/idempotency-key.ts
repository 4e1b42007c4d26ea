import { createHash } from 'node:crypto';

/** The request field of the IETF draft "The Idempotency-Key HTTP Header Field" (lower-cased, as Node and Apollo keep them). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Set on a response that is a stored one replayed, not a new execution (the name Stripe's API uses). */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

// The draft makes the key a structured-field String ("…", printable ASCII, \" and \\ escaped). Many clients
// send it bare (Stripe's convention), so a bare value of visible ASCII without quotes, commas (a second field
// line would be joined with one) or backslashes is taken as it is.
const QUOTED = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/;
const BARE = /^[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]+$/;

/** The key a header value carries, or undefined when it is not a valid key (empty, too long, not ASCII, a list). */
export function parseIdempotencyKey(header: string): string | undefined {
  const value = header.trim();
  const quoted = QUOTED.exec(value);
  const key = quoted ? quoted[1]!.replace(/\\(["\\])/g, '$1') : BARE.test(value) ? value : undefined;
  return key !== undefined && key.length > 0 && key.length <= MAX_IDEMPOTENCY_KEY_LENGTH ? key : undefined;
}

/** JSON with object keys sorted at every level: the same variables give the same text whatever their order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What makes two requests "the same request" for one key: the operation text, its variables and its name. */
export function requestFingerprint(request: { query?: string | undefined; variables?: Record<string, unknown> | undefined; operationName?: string | undefined }): string {
  const text = canonicalJson([request.query ?? null, request.variables ?? {}, request.operationName ?? null]);
  return createHash('sha256').update(text).digest('hex');
}

// One error type for every parser, so callers (ingestion jobs, the Studio) can map a failure to
// a message for the user by `code` and show `detail`, without knowing which library failed.

export type ParseErrorCode =
  /** The bytes are not a valid file of the format (corrupt, truncated, wrong type, not UTF-8 text). */
  | 'MALFORMED'
  /** The file is password-protected. */
  | 'ENCRYPTED'
  /** The file is valid but holds no text to learn from (e.g. a scanned PDF). */
  | 'EMPTY'
  /** The file exceeds a configured limit (e.g. `maxPages`). */
  | 'TOO_LARGE'
  /** The file unpacks to more than allowed: an archive inflating past `maxUncompressedBytes` (a ZIP bomb), or more text than a caller accepts. */
  | 'TOO_LARGE_UNCOMPRESSED'
  /** A format or variant this package does not read (e.g. legacy binary .doc). */
  | 'UNSUPPORTED';

export class ParseError extends Error {
  override readonly name = 'ParseError';
  readonly code: ParseErrorCode;
  /** What exactly is wrong, in words a user can act on (names the page, column or line when known). */
  readonly detail: string;

  constructor(code: ParseErrorCode, detail: string, options?: { cause?: unknown }) {
    super(detail.charAt(0).toUpperCase() + detail.slice(1), options);
    this.code = code;
    this.detail = detail;
  }
}

/** The message of an unknown thrown value, for `detail`. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { CURRENT_FORMAT_VERSION } from './bot-bundle.ts';
import { ROOT_PATH, type BundleFieldError } from './field-errors.ts';

/** Format 1 is the server's bot config from before bundles had a version field. */
export const OLDEST_FORMAT_VERSION = 1;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The format version `doc` declares: its `formatVersion`, or 1 for an object without one (format 1
 * predates the field). null when `doc` is not an object or its `formatVersion` is not a whole number.
 * A returned number may still be unknown to this build; knownFormatVersion checks that.
 */
export function detectFormatVersion(doc: unknown): number | null {
  if (!isPlainObject(doc)) return null;
  const declared = doc['formatVersion'];
  if (declared === undefined) return OLDEST_FORMAT_VERSION;
  return Number.isSafeInteger(declared) ? (declared as number) : null;
}

const KNOWN_RANGE = `${OLDEST_FORMAT_VERSION} to ${CURRENT_FORMAT_VERSION}`;

export type FormatVersionCheck =
  | { ok: true; version: number }
  | { ok: false; /** the document is not even an object */ notABundle: boolean; error: BundleFieldError };

const versionProblem = (message: string): FormatVersionCheck => ({
  ok: false,
  notABundle: false,
  error: { path: 'formatVersion', message },
});

/** The version of `doc` if this build can read it, or the error that explains why it cannot. */
export function knownFormatVersion(doc: unknown): FormatVersionCheck {
  if (!isPlainObject(doc)) {
    return { ok: false, notABundle: true, error: { path: ROOT_PATH, message: 'must be an object (a bot bundle)' } };
  }
  const version = detectFormatVersion(doc);
  if (version === null) return versionProblem(`must be a whole number from ${KNOWN_RANGE}`);
  if (version > CURRENT_FORMAT_VERSION) {
    return versionProblem(
      `is ${version}, newer than this build of Mascot reads (${KNOWN_RANGE}); update Mascot to open this bundle`,
    );
  }
  if (version < OLDEST_FORMAT_VERSION)
    return versionProblem(`is ${version}, not a format version (known: ${KNOWN_RANGE})`);
  return { ok: true, version };
}

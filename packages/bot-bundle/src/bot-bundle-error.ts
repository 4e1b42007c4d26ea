import type { BundleFieldError } from './field-errors.ts';

/** Stable codes callers switch on; the server maps them to BAD_USER_INPUT with `errors` as field errors. */
export const BotBundleErrorCode = {
  /** The document is not a valid bundle of the version it claims. */
  INVALID_BUNDLE: 'INVALID_BUNDLE',
  /** The format version is unknown: newer than this build, or never existed. */
  UNSUPPORTED_FORMAT_VERSION: 'UNSUPPORTED_FORMAT_VERSION',
  /** A variant id that the bundle does not define. */
  UNKNOWN_VARIANT: 'UNKNOWN_VARIANT',
} as const;
export type BotBundleErrorCode = (typeof BotBundleErrorCode)[keyof typeof BotBundleErrorCode];

const HEADLINES: Record<BotBundleErrorCode, string> = {
  INVALID_BUNDLE: 'Invalid bot bundle',
  UNSUPPORTED_FORMAT_VERSION: 'Unsupported bot bundle format',
  UNKNOWN_VARIANT: 'Unknown bot variant',
};

/** Thrown by the functions that return a bundle rather than a result (upgrade, downgrade, views). */
export class BotBundleError extends Error {
  override readonly name = 'BotBundleError';

  private constructor(
    readonly code: BotBundleErrorCode,
    readonly errors: readonly BundleFieldError[],
  ) {
    super(`${HEADLINES[code]}: ${errors.map((error) => `${error.path}: ${error.message}`).join('; ')}`);
  }

  static invalid(errors: readonly BundleFieldError[]): BotBundleError {
    return new BotBundleError(BotBundleErrorCode.INVALID_BUNDLE, errors);
  }

  static unsupportedVersion(error: BundleFieldError): BotBundleError {
    return new BotBundleError(BotBundleErrorCode.UNSUPPORTED_FORMAT_VERSION, [error]);
  }

  static unknownVariant(variantId: string, knownIds: readonly string[]): BotBundleError {
    const known = knownIds.length === 0 ? 'the bundle has no variants' : `known: ${knownIds.join(', ')}`;
    return new BotBundleError(BotBundleErrorCode.UNKNOWN_VARIANT, [
      { path: 'variants', message: `has no variant '${variantId}' (${known})` },
    ]);
  }
}

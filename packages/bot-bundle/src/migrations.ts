import type { z } from 'zod';
import { CURRENT_FORMAT_VERSION, botBundleSchema, type BotBundle } from './bot-bundle.ts';
import { BotBundleError } from './bot-bundle-error.ts';
import { parseWithFieldErrors } from './field-errors.ts';
import { botBundleV1Schema, type BotBundleV1 } from './format-v1.ts';
import type { FormatMigration, MigrationContext } from './format-migration.ts';
import { knownFormatVersion } from './format-version.ts';
import { migrationV1ToV2 } from './migration-v1-to-v2.ts';

/** The document type of each format version. */
export interface BotBundleFormats {
  1: BotBundleV1;
  2: BotBundle;
}
/** Versions a current bundle can be written down to, for readers that have not upgraded yet. */
export type PastFormatVersion = Exclude<keyof BotBundleFormats, typeof CURRENT_FORMAT_VERSION>;

/** The schema of each format version; a version's schema is frozen once a newer one exists. */
const FORMAT_SCHEMAS: { [Version in keyof BotBundleFormats]: z.ZodType<BotBundleFormats[Version]> } = {
  1: botBundleV1Schema,
  2: botBundleSchema,
};

// Each migration is typed with its own two formats; the chain can only hold them with those erased.
type AnyFormatMigration = FormatMigration<any, any>;

/** Every step from the oldest format to the current one, in order: entry i goes from i+1 to i+2. */
export const FORMAT_MIGRATIONS: readonly AnyFormatMigration[] = [migrationV1ToV2];

function schemaOf(version: number): z.ZodType {
  const schema = (FORMAT_SCHEMAS as Record<number, z.ZodType | undefined>)[version];
  if (!schema) throw new Error(`No schema for bot bundle format ${version}; add it to FORMAT_SCHEMAS`);
  return schema;
}

function parseOrThrow(version: number, doc: unknown): unknown {
  const parsed = parseWithFieldErrors(schemaOf(version), doc);
  if (!parsed.ok) throw BotBundleError.invalid(parsed.errors);
  return parsed.value;
}

/**
 * Reads a bundle of any known format version and returns it in the current format, validated and
 * canonical. The document is validated against its own version's rules first, so errors point at
 * fields the author wrote. Throws BotBundleError: UNSUPPORTED_FORMAT_VERSION for a version this
 * build does not know (including newer ones), INVALID_BUNDLE otherwise.
 * `context.name` names bots from format 1, which kept the name outside the document.
 */
export function upgradeBotBundle(doc: unknown, context: MigrationContext = {}): BotBundle {
  const known = knownFormatVersion(doc);
  if (!known.ok) {
    throw known.notABundle ? BotBundleError.invalid([known.error]) : BotBundleError.unsupportedVersion(known.error);
  }
  let current = parseOrThrow(known.version, doc);
  for (const migration of FORMAT_MIGRATIONS) {
    if (migration.from >= known.version) current = migration.up(current, context);
  }
  return parseOrThrow(CURRENT_FORMAT_VERSION, current) as BotBundle;
}

/**
 * Writes a current bundle in an older format, for a reader that only knows that one (the server's
 * reply pipeline reads format 1 until it moves to bundles). Lossy: see each migration's `down`;
 * for format 1 everything but personality (minus language and answerLength) and allowedOrigins is
 * dropped, and offerHuman becomes `offerHuman !== 'never'`.
 */
export function downgradeBotBundle<Version extends PastFormatVersion>(
  bundle: BotBundle,
  toVersion: Version,
): BotBundleFormats[Version] {
  let current = parseOrThrow(CURRENT_FORMAT_VERSION, bundle);
  for (const migration of [...FORMAT_MIGRATIONS].reverse()) {
    if (migration.from >= toVersion) current = migration.down(current);
  }
  return parseOrThrow(toVersion, current) as BotBundleFormats[Version];
}

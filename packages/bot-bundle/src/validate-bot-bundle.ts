import { CURRENT_FORMAT_VERSION, botBundleSchema, type BotBundle } from './bot-bundle.ts';
import { parseWithFieldErrors, type BundleFieldError } from './field-errors.ts';
import { knownFormatVersion } from './format-version.ts';

export type BotBundleValidation = { ok: true; bundle: BotBundle } | { ok: false; errors: BundleFieldError[] };

/**
 * Checks that `input` is a bundle in the current format and returns it in canonical form, or every
 * problem found, each at its field's dotted path (`providers.1.baseUrl`). Rules that relate two
 * fields are reported once the fields they read are valid themselves.
 *
 * A document of another format version gets one error about the version and nothing else: its
 * fields would be judged by the wrong rules. Read older documents with upgradeBotBundle.
 */
export function validateBotBundle(input: unknown): BotBundleValidation {
  const version = knownFormatVersion(input);
  if (!version.ok) return { ok: false, errors: [version.error] };
  if (version.version !== CURRENT_FORMAT_VERSION) {
    const declared = (input as { formatVersion?: unknown }).formatVersion !== undefined;
    const message = declared
      ? `is ${version.version}, an older format; read it with upgradeBotBundle, which validates it too`
      : `is required; a document without it is format ${version.version}, read it with upgradeBotBundle`;
    return { ok: false, errors: [{ path: 'formatVersion', message }] };
  }
  const parsed = parseWithFieldErrors(botBundleSchema, input);
  return parsed.ok ? { ok: true, bundle: parsed.value } : { ok: false, errors: parsed.errors };
}

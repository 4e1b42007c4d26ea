import { z } from 'zod';

/** What a bot does with personal data visitors type; server-only. */
export interface Privacy {
  /**
   * Replace e-mail addresses, phone numbers, card numbers and IBANs with placeholders (`[email]`) before
   * a visitor's text reaches an AI provider or a log. The stored conversation keeps what was written.
   */
  redactPii: boolean;
}

/** What a bundle without `privacy` means: the safe choice, so bundles written before the field redact too. */
export const DEFAULT_PRIVACY: Readonly<Privacy> = { redactPii: true };

/**
 * Optional, and canonical when absent: a section equal to DEFAULT_PRIVACY is dropped, so the two
 * spellings of the default are one JSON and bundles from before the field compare unchanged.
 */
export const privacySchema = z
  .strictObject({ redactPii: z.boolean() })
  .transform((privacy): Privacy | undefined => (privacy.redactPii === DEFAULT_PRIVACY.redactPii ? undefined : privacy))
  .optional();

/** The privacy settings a bundle stands for, defaults filled in. */
export function privacyOf(bundle: { privacy?: Privacy | undefined }): Privacy {
  return { ...DEFAULT_PRIVACY, ...bundle.privacy };
}

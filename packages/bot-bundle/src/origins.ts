import { z } from 'zod';
import { reportDuplicates } from './unique-entries.ts';

export const MAX_ALLOWED_ORIGINS = 50;

// Scheme, host and optional port, with at most a trailing slash: nothing a browser would leave
// out of an Origin header. Wildcards are refused: every embedding site is listed explicitly.
const ORIGIN_SHAPE = /^https?:\/\/[^/?#@*\s]+\/?$/i;

/**
 * The canonical form of an origin as browsers send it in the Origin header: lowercase scheme and
 * host, punycode for international names, no default port, no trailing slash; or null when
 * `value` is not an http(s) origin (has a path, credentials, a wildcard, or does not parse).
 */
export function normalizeOrigin(value: string): string | null {
  const candidate = value.trim();
  if (!ORIGIN_SHAPE.test(candidate) || !URL.canParse(candidate)) return null;
  return new URL(candidate).origin;
}

export const originSchema = z
  .string()
  .max(200)
  .refine(
    (value) => normalizeOrigin(value) !== null,
    'must be an origin: scheme, host and optional port without a path, such as https://shop.example.com',
  )
  .overwrite((value) => normalizeOrigin(value) ?? value);

/** Host pages allowed to embed the bot. Empty means any page may. */
export const allowedOriginsSchema = z
  .array(originSchema)
  .max(MAX_ALLOWED_ORIGINS)
  .superRefine((origins, ctx) => reportDuplicates(origins, ctx));

/** Whether a page with Origin `origin` may embed a bot with these allowed origins. */
export function isOriginAllowed(allowedOrigins: readonly string[], origin: string): boolean {
  if (allowedOrigins.length === 0) return true;
  const normalized = normalizeOrigin(origin);
  return normalized !== null && allowedOrigins.includes(normalized);
}

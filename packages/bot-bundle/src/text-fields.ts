import { z } from 'zod';

// Building blocks for the bundle's string fields. Bundles are stored as PostgreSQL JSONB, which
// cannot hold NUL characters, so every free-text field refuses them here rather than failing at
// the database. Lengths count UTF-16 code units (`string.length`), as the Studio's inputs do.

const hasNoNul = (value: string): boolean => !value.includes('\u0000');
const NO_NUL_MESSAGE = 'must not contain NUL characters';

/**
 * Text a person types: trimmed, so " Milo " and "Milo" are the same name, and bounded.
 * `whenMissing` replaces the generic "is required" where the author needs to know more.
 */
export function trimmedText(min: number, max: number, whenMissing?: string) {
  const base = whenMissing
    ? z.string({ error: (issue) => (issue.input === undefined ? whenMissing : undefined) })
    : z.string();
  return base.trim().min(min).max(max).refine(hasNoNul, NO_NUL_MESSAGE);
}

/** Text whose whitespace is meaningful (a system prompt's layout is the author's). */
export function untrimmedText(max: number) {
  return z.string().max(max).refine(hasNoNul, NO_NUL_MESSAGE);
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A stable identifier authors choose and analytics group by: lowercase words joined by hyphens. */
export function slug(max: number, example: string) {
  return z
    .string()
    .min(1)
    .max(max)
    .regex(SLUG, `must be lowercase letters, digits and single hyphens, such as '${example}'`);
}

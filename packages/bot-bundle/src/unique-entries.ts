import type { z } from 'zod';

/**
 * Reports every entry whose key repeats an earlier one, at the repeating entry's own path, so the
 * author sees which line to remove. Used for lists that are sets (origins, patterns, devices) and
 * for variant ids.
 */
export function reportDuplicates<T>(
  entries: readonly T[],
  ctx: z.RefinementCtx,
  options: { keyOf?: (entry: T) => unknown; subPath?: readonly (string | number)[]; what?: string } = {},
): void {
  const { keyOf = (entry: T) => entry, subPath = [], what = 'entry' } = options;
  const firstIndex = new Map<unknown, number>();
  entries.forEach((entry, index) => {
    const key = keyOf(entry);
    const first = firstIndex.get(key);
    if (first === undefined) firstIndex.set(key, index);
    else ctx.addIssue({ code: 'custom', path: [index, ...subPath], message: `is the same as ${what} ${first}` });
  });
}

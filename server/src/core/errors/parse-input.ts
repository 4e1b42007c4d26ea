import type { z } from 'zod';
import { DomainError } from './domain-error.ts';

/** Paths of strings containing NUL, which PostgreSQL cannot store in text columns. */
function nulFields(value: unknown, path: string[] = []): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path.join('.') || '(input)'] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => nulFields(item, [...path, String(i)]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => nulFields(item, [...path, key]));
  }
  return [];
}

/**
 * Validates service input with a zod schema; failures become one BAD_USER_INPUT with field errors.
 * Strings with NUL characters are refused here, once for every input, rather than failing in the database.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const withNul = nulFields(input);
  if (withNul.length > 0) {
    throw DomainError.invalidInput(withNul.map((field) => ({ field, message: 'must not contain NUL characters' })));
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw DomainError.invalidInput(
    result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(input)', message: issue.message })),
  );
}

import type { z } from 'zod';

/** One problem with a bundle: where (dotted path, `(input)` for the document itself) and what. */
export interface BundleFieldError {
  path: string;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: BundleFieldError[] };

/** The path of an error about the document as a whole (it is not an object, say). */
export const ROOT_PATH = '(input)';

const TYPE_NAMES: Record<string, string> = {
  object: 'an object',
  array: 'a list',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

const quoteList = (values: readonly unknown[]): string => {
  const quoted = values.map((value) => (typeof value === 'string' ? `'${value}'` : String(value)));
  return quoted.length < 2 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
};

function sizeMessage(origin: string, bound: number | bigint, kind: 'least' | 'most'): string {
  if (origin === 'string') {
    return kind === 'least' && bound === 1 ? 'must not be empty' : `must be at ${kind} ${bound} characters`;
  }
  if (origin === 'array' || origin === 'set') {
    return kind === 'least' && bound === 1 ? 'must not be empty' : `must have at ${kind} ${bound} entries`;
  }
  return `must be at ${kind} ${bound}`;
}

/**
 * Messages for zod's generic issues, written to follow a field path as the server's field errors
 * do ("name: must not be empty"). Schemas give their own message where a generic one would not
 * tell the author what to write; zod prefers those over this map.
 */
const issueMessages: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'too_small':
      return sizeMessage(issue.origin, issue.minimum, 'least');
    case 'too_big':
      return sizeMessage(issue.origin, issue.maximum, 'most');
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${quoteList(issue.values)}`
        : `must be one of ${quoteList(issue.values)}`;
    case 'invalid_union':
      return issue.note === 'No matching discriminator' && Array.isArray(issue['options'])
        ? `must be one of ${quoteList(issue['options'] as unknown[])}`
        : undefined;
    case 'unrecognized_keys':
      return 'is not a known field';
    default:
      return undefined;
  }
};

function pathOf(segments: readonly PropertyKey[]): string {
  return segments.length === 0 ? ROOT_PATH : segments.map(String).join('.');
}

/** One error per unknown key, at the key's own path, rather than one error listing them. */
function toFieldErrors(issue: z.core.$ZodIssue): BundleFieldError[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: issue.message }));
  }
  return [{ path: pathOf(issue.path), message: issue.message }];
}

/** Parses with the bundle's messages; never throws for invalid input. */
export function parseWithFieldErrors<S extends z.ZodType>(schema: S, input: unknown): ParseResult<z.output<S>> {
  const result = schema.safeParse(input, { error: issueMessages });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, errors: result.error.issues.flatMap(toFieldErrors) };
}

import { DomainError } from './domain-error.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID (any case): the one check for ids that reach SQL, keys or cursors. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** IDs are UUIDs; anything else is the caller's mistake (BAD_USER_INPUT), never a database error. */
export function parseId(value: string, field: string): string {
  if (!isUuid(value)) throw DomainError.invalidInput([{ field, message: 'must be an ID returned by this API' }]);
  return value.toLowerCase();
}

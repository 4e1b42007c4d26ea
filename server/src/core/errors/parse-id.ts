import { DomainError } from './domain-error.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** IDs are UUIDs; anything else is the caller's mistake (BAD_USER_INPUT), never a database error. */
export function parseId(value: string, field: string): string {
  if (!UUID.test(value)) throw DomainError.invalidInput([{ field, message: 'must be an ID returned by this API' }]);
  return value.toLowerCase();
}

export { DomainError, type FieldError } from './domain-error.ts';
export { parseInput } from './parse-input.ts';
export { isUuid, parseId } from './parse-id.ts';

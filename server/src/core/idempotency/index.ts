export { useIdempotency, type IdempotencyOptions } from './idempotency-plugin.ts';
export { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, MAX_IDEMPOTENCY_KEY_LENGTH, parseIdempotencyKey, requestFingerprint } from './idempotency-key.ts';
export { IdempotencyStore, type IdempotencyClaim, type IdempotencyScope } from './idempotency-store.ts';

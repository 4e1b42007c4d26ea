import { afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../errors/index.ts';
import { createRateLimits, type RateLimits } from './rate-limits.ts';
import { rateLimited, retryAfterSeconds } from './rate-limit-error.ts';
import type { PgPool } from './postgres-store.ts';

const unreachable: PgPool = { connect: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) };

let limits: RateLimits | undefined;
afterEach(() => limits?.close());

describe('createRateLimits without its database', () => {
  it('limits requests from memory alone: they never touch the database', async () => {
    const errors: unknown[] = [];
    limits = createRateLimits({
      pool: unreachable,
      config: { perIp: { points: 2, durationS: 60 } },
      onStoreError: (error) => errors.push(error),
    });
    await limits.consumeRequest({ ip: '198.51.100.1' });
    await expect(limits.consumeRequest({ ip: '198.51.100.1' })).resolves.toMatchObject({ limit: 'ip', remaining: 0 });
    await expect(limits.consumeRequest({ ip: '198.51.100.1' })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      details: { limit: 'ip' },
    });
    expect(limits.requestStatus({ ip: '198.51.100.1' })).toMatchObject({ limit: 'ip', remaining: 0 });
    expect(errors).toEqual([]);
  });

  it('counts caller-defined budgets per key and window, refusing with the one that asks the longest wait', async () => {
    limits = createRateLimits({ pool: unreachable });
    const visitor = (points: number, durationS: number) => ({ limit: 'visitor' as const, key: 'tenant:visitor-1', rule: { points, durationS } });
    const minuteAndDay = [visitor(3, 60), visitor(2, 86_400)];
    limits.consumeBudgets(minuteAndDay);
    limits.consumeBudgets(minuteAndDay);
    // The day (2) is spent before the minute (3): the refusal names the day's window and its wait.
    let refusal: unknown;
    try {
      limits.consumeBudgets(minuteAndDay);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'visitor', windowS: 86_400 } });
    expect(retryAfterSeconds(refusal)).toBeGreaterThan(86_000);
    // Another key, and the request budgets, are untouched.
    expect(() => limits!.consumeBudgets([{ ...visitor(2, 86_400), key: 'tenant:visitor-2' }])).not.toThrow();
    expect(limits.requestStatus({ ip: '198.51.100.1' })).toMatchObject({ limit: 'ip' });
  });

  it('keeps limiting sign-ins from process memory and reports the store error once', async () => {
    const errors: unknown[] = [];
    limits = createRateLimits({
      pool: unreachable,
      config: { loginPerAccount: { points: 2, durationS: 60, blockDurationS: 60 } },
      onStoreError: (error) => errors.push(error),
    });
    const email = 'eve@example.com';
    await (await limits.loginAttempt({ email, ip: '198.51.100.9' })).recordFailure();
    await (await limits.loginAttempt({ email, ip: '198.51.100.9' })).recordFailure();
    await expect(limits.loginAttempt({ email, ip: '198.51.100.9' })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      details: { limit: 'loginAccount' },
    });
    expect(errors[0]).toMatchObject({ message: expect.stringContaining('ECONNREFUSED') });
    expect(errors).toHaveLength(1); // not once per query: an outage would flood the log
  });

  it('refuses a configuration that could not limit anything', () => {
    expect(() => createRateLimits({ pool: unreachable, config: { perTenant: { points: 0, durationS: 60 } } })).toThrow(/perTenant/);
    expect(() => createRateLimits({ pool: unreachable, config: { perIp: { points: 5, durationS: 1.5 } } })).toThrow(/perIp/);
    expect(() =>
      createRateLimits({ pool: unreachable, config: { loginPerIp: { points: 5, durationS: 60, blockDurationS: -1 } } }),
    ).toThrow(/loginPerIp/);
  });

  it('rejects a request price that is not a positive integer as a programming error', async () => {
    limits = createRateLimits({ pool: unreachable });
    await expect(limits.consumeRequest({ ip: '198.51.100.2', points: 0 })).rejects.toThrow(/positive integer/);
  });
});

describe('RATE_LIMITED errors', () => {
  it('carry whole seconds to wait, at least one, and the budget that ran out', () => {
    expect(rateLimited(1, 'tenant')).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfter: 1, limit: 'tenant' } });
    expect(rateLimited(12_001, 'ip').details).toEqual({ retryAfter: 13, limit: 'ip' });
    expect(rateLimited(1, 'ip').message).toBe('Too many requests. Please slow down.');
  });

  it('give their seconds to the Retry-After header, also when wrapped by GraphQL', () => {
    const error = rateLimited(30_000, 'apiKey');
    expect(retryAfterSeconds(error)).toBe(30);
    expect(retryAfterSeconds({ originalError: error })).toBe(30);
    expect(retryAfterSeconds(DomainError.forbidden())).toBeUndefined();
    expect(retryAfterSeconds(new Error('boom'))).toBeUndefined();
  });
});

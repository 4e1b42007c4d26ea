import { createHash } from 'node:crypto';
import { subjects } from '@mascot/events';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { MessageBus } from '../bus/index.ts';
import { clientIpKey } from './client-ip.ts';
import { createPostgresStoreClient, type PgPool } from './postgres-store.ts';
import { rateLimited, type RateLimitName } from './rate-limit-error.ts';
import { SharedCounters } from './shared-counters.ts';

/**
 * `points` per window of `durationS` seconds. Sign-in budgets may set `blockDurationS`: once exceeded,
 * refused that long. Request budgets ignore it (their window simply runs out).
 */
export interface RateLimitRule {
  points: number;
  durationS: number;
  blockDurationS?: number;
}

export interface RateLimitConfig {
  /** Every request not made with an API key (anonymous, visitors, members), by client address (IPv6 per /64). */
  perIp: RateLimitRule;
  /**
   * Requests made with an API key, by key, instead of by address: a partner's servers share one address,
   * and their key's budget is what they bought.
   */
  perApiKey: RateLimitRule;
  /**
   * Requests acting for a tenant, by tenant. Meant for members and API keys: counting anonymous
   * widget visitors here would let one visitor exhaust the budget the tenant's admins work with.
   */
  perTenant: RateLimitRule;
  /** Sign-in attempts per account (e-mail address), including ones naming no account. */
  loginPerAccount: RateLimitRule;
  /** Failed sign-in attempts per client address. */
  loginPerIp: RateLimitRule;
}

/** Production defaults; request points are GraphQL top-level fields (see `operationCost`). */
export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  perIp: { points: 600, durationS: 60 },
  perApiKey: { points: 1200, durationS: 60 },
  perTenant: { points: 3000, durationS: 60 },
  loginPerAccount: { points: 5, durationS: 15 * 60, blockDurationS: 15 * 60 },
  loginPerIp: { points: 30, durationS: 15 * 60, blockDurationS: 15 * 60 },
};

export interface RateLimitsOptions {
  /** A `pg` Pool on the application database, e.g. `await orm.em.getConnection().getNativeClient()`; sign-in budgets only. */
  pool: PgPool;
  /**
   * The bus request budgets share their counts over (NATS with several instances). Without it each
   * instance counts alone, which is exact for a single process.
   */
  bus?: MessageBus | undefined;
  /** The subject instances of one installation share counts on (`subjects.clusterRateLimits`). */
  syncSubject?: string;
  /** Longest a request's points wait before they are sent to the other instances (default 50 ms). */
  syncIntervalMs?: number;
  /** Role every connection switches to before its first query (`APP_ROLE`); omit if the pool already runs as it. */
  appRole?: string;
  /** Overrides per limit; the rest keep `DEFAULT_RATE_LIMITS`. */
  config?: Partial<RateLimitConfig>;
  /** Table created by `Migration20261122040000RateLimits`. */
  tableName?: string;
  /**
   * Called when the sign-in store fails (database unreachable) or the bus does, at most once per 10
   * seconds. Until the database answers again the sign-in limits fall back to counters in this
   * process's memory: degraded (per instance), but still limiting.
   */
  onStoreError?: (error: unknown) => void;
  /** How often this instance deletes rows expired over an hour ago; 0 turns it off. */
  cleanupIntervalMs?: number;
}

/** One request budget's standing: its policy (quota per window) and what is left of the current window. */
export interface RateLimitBudgetStatus {
  limit: RateLimitName;
  quota: number;
  windowS: number;
  remaining: number;
  resetAfterS: number;
}

/** The most constraining budget after a request was admitted. */
export interface RateLimitStatus {
  limit: RateLimitName;
  remaining: number;
  resetAfterS: number;
  /** Every request budget that applied, in REQUEST_BUDGETS order (the RateLimit headers list them all). */
  budgets?: readonly RateLimitBudgetStatus[];
}

export interface RequestToLimit {
  /** Counted unless the request has an API key (see `RateLimitConfig.perApiKey`). */
  ip: string | undefined;
  /** Set when the request authenticated with an API key. */
  apiKeyId?: string | undefined;
  /** The tenant a member or API key acts for (see `RateLimitConfig.perTenant` about visitors). */
  tenantId?: string | undefined;
  /** What the request costs, `operationCost(document, operationName)` for GraphQL; default 1. */
  points?: number;
}

/** A budget a caller defines (not one of the request budgets): counted like them, in memory and across instances. */
export interface NamedBudget {
  /** Named in the error's `extensions.limit`. */
  limit: RateLimitName;
  /** What is counted (a visitor, a conversation…); long keys are hashed. */
  key: string;
  rule: RateLimitRule;
}

/**
 * One admitted sign-in attempt. The attempt already counts as a failure; `recordSuccess()` takes it
 * back (and resets the account's count), so an attempt that ends in an exception still counts.
 */
export interface LoginAttempt {
  /** Keeps the attempt counted. Optional: it is what happens when nothing is recorded. */
  recordFailure(): Promise<void>;
  /** Resets the account's failures and returns the attempt to the address's budget. */
  recordSuccess(): Promise<void>;
}

export interface RateLimits {
  /** Resolves once request budgets receive the other instances' counts (and asked them for theirs). */
  readonly started: Promise<void>;
  /**
   * Takes `points` from each budget that applies (the API key or else the address, and the tenant when given),
   * in memory, answered with the counts of every instance heard of. Throws RATE_LIMITED
   * (`extensions.retryAfter`, the longest wait of the budgets exceeded) when any is exhausted; the
   * points are spent either way.
   */
  consumeRequest(request: RequestToLimit): Promise<RateLimitStatus>;
  /**
   * Takes `points` from each of the caller's budgets, counted like the request budgets (memory, shared over
   * the bus; a rule's window is part of the key, so one key may have a minute and a day). Throws RATE_LIMITED
   * (`extensions.retryAfter`, `limit`, `windowS`) for the budget asking the longest wait; the points are spent
   * either way.
   */
  consumeBudgets(budgets: readonly NamedBudget[], points?: number): void;
  /** The tightest request budget's standing for these keys as this instance sees it, spending nothing. */
  requestStatus(request: Omit<RequestToLimit, 'points'>): RateLimitStatus;
  /**
   * Call before checking a password, for every e-mail address (known or not: no account oracle).
   * Throws RATE_LIMITED while the account or the address is blocked.
   */
  loginAttempt(attempt: { email: string; ip: string | undefined }): Promise<LoginAttempt>;
  /** Sends pending counts, stops listening and the cleanup timer; the pool and the bus belong to the caller. */
  close(): Promise<void>;
}

const HOUR_MS = 60 * 60 * 1000;
const STORE_ERROR_REPORT_INTERVAL_MS = 10_000;
const MAX_KEY_LENGTH = 128;

/** Keys are varchar(255) with the prefix; anything long (or personal, like an e-mail) is hashed. */
const digest = (value: string) => createHash('sha256').update(value).digest('hex');
const boundedKey = (value: string) => (value.length > MAX_KEY_LENGTH ? digest(value) : value);

function validateRule(name: string, rule: RateLimitRule): void {
  const positiveInteger = (value: number | undefined) => value !== undefined && Number.isInteger(value) && value > 0;
  if (!positiveInteger(rule.points) || !positiveInteger(rule.durationS)) {
    throw new Error(`Rate limit ${name}: points and durationS must be positive integers.`);
  }
  if (rule.blockDurationS !== undefined && !positiveInteger(rule.blockDurationS)) {
    throw new Error(`Rate limit ${name}: blockDurationS must be a positive integer when set.`);
  }
}

function isLimitExceeded(reason: unknown): reason is RateLimiterRes {
  return reason instanceof RateLimiterRes;
}

/**
 * Throws for the settled consumptions: RATE_LIMITED for the budget that asks the longest wait,
 * or the store's error when there is no fallback left. Returns the admitted results otherwise.
 */
function admittedOrThrow(names: RateLimitName[], results: PromiseSettledResult<RateLimiterRes>[]): RateLimiterRes[] {
  let exceeded: { name: RateLimitName; res: RateLimiterRes } | undefined;
  for (const [i, result] of results.entries()) {
    if (result.status === 'fulfilled') continue;
    if (!isLimitExceeded(result.reason)) throw result.reason;
    if (!exceeded || result.reason.msBeforeNext > exceeded.res.msBeforeNext) exceeded = { name: names[i]!, res: result.reason };
  }
  if (exceeded) throw rateLimited(exceeded.res.msBeforeNext, exceeded.name);
  return results.map((result) => (result as PromiseFulfilledResult<RateLimiterRes>).value);
}

/** A budget's standing after `total` points of its current window, `msLeft` before the window ends. */
function standing(limit: RateLimitName, rule: RateLimitRule, total: number, msLeft: number): RateLimitBudgetStatus {
  return {
    limit,
    quota: rule.points,
    windowS: rule.durationS,
    remaining: Math.max(0, rule.points - total),
    resetAfterS: Math.max(0, Math.ceil(msLeft / 1000)),
  };
}

/** Request budgets, answered from memory; see SharedCounters for how instances agree. */
const REQUEST_BUDGETS = [
  ['ip', 'perIp'],
  ['apiKey', 'perApiKey'],
  ['tenant', 'perTenant'],
] as const satisfies readonly (readonly [RateLimitName, keyof RateLimitConfig])[];

/** The request budgets that apply, with their keys: the API key or else the address, and the tenant when given. */
function budgetsOf({ ip, apiKeyId, tenantId }: Omit<RequestToLimit, 'points'>) {
  const keys: Record<RateLimitName, string | undefined> = {
    ip: apiKeyId ? undefined : clientIpKey(ip),
    apiKey: apiKeyId ? boundedKey(apiKeyId) : undefined,
    tenant: tenantId ? boundedKey(tenantId) : undefined,
    loginAccount: undefined,
    loginIp: undefined,
    visitor: undefined,
    visitorAddress: undefined,
    conversation: undefined,
    embed: undefined,
  };
  return REQUEST_BUDGETS.flatMap(([name, configName]) => {
    const key = keys[name];
    return key ? [[name, configName, key] as const] : [];
  });
}

/**
 * Request budgets (address, API key, tenant) counted in memory and shared between instances over the
 * bus, so a request costs no database round trip; sign-in budgets in PostgreSQL
 * (rate-limiter-flexible's RateLimiterPostgres on `rate_limit`), where each attempt is one atomic
 * `insert … on conflict do update`: rare, and exact across instances even under parallel guessing.
 */
export function createRateLimits(options: RateLimitsOptions): RateLimits {
  const config: RateLimitConfig = { ...DEFAULT_RATE_LIMITS, ...options.config };
  for (const [name, rule] of Object.entries(config)) validateRule(name, rule);
  const tableName = options.tableName ?? 'rate_limit';
  // An outage fails every query of every request; one report per interval is enough to act on.
  let lastReportedAt = -Infinity;
  const onError = (error: unknown) => {
    if (!options.onStoreError || Date.now() - lastReportedAt < STORE_ERROR_REPORT_INTERVAL_MS) return;
    lastReportedAt = Date.now();
    options.onStoreError(error);
  };
  const store = createPostgresStoreClient(options.pool, { appRole: options.appRole, onError });

  const limiter = (keyPrefix: string, rule: RateLimitRule) =>
    new RateLimiterPostgres({
      storeClient: store,
      storeType: 'pool',
      tableName,
      tableCreated: true, // by the migration: the app role may not create tables
      clearExpiredByTimeout: false, // one cleanup timer below instead of one per limiter
      keyPrefix,
      points: rule.points,
      duration: rule.durationS,
      ...(rule.blockDurationS ? { blockDuration: rule.blockDurationS } : {}),
      insuranceLimiter: new RateLimiterMemory({ keyPrefix, points: rule.points, duration: rule.durationS }),
    });

  const loginPerAccount = limiter('login-account', config.loginPerAccount);
  const loginPerIp = limiter('login-ip', config.loginPerIp);
  const counters = new SharedCounters({
    bus: options.bus,
    subject: options.syncSubject ?? subjects.clusterRateLimits(''),
    syncIntervalMs: options.syncIntervalMs,
    onError,
  });
  const started = counters.start();
  // Reported through onStoreError; limiting goes on per instance meanwhile.
  started.catch(onError);

  const cleanupIntervalMs = options.cleanupIntervalMs ?? 5 * 60 * 1000;
  const cleanup =
    cleanupIntervalMs > 0
      ? setInterval(() => {
          // Expired rows are ignored by every query; deleting them only keeps the table small.
          // An hour's margin tolerates clocks of instances that disagree. Failures are reported via onError.
          store
            .query({ text: `delete from "${tableName}" where expire < $1`, values: [Date.now() - HOUR_MS] })
            .catch(() => undefined);
        }, cleanupIntervalMs).unref()
      : undefined;

  return {
    started,

    async consumeRequest({ ip, apiKeyId, tenantId, points = 1 }) {
      if (!Number.isInteger(points) || points < 1) throw new Error(`Rate limit points must be a positive integer, got ${points}.`);
      let tightest: RateLimitBudgetStatus | undefined;
      let exceeded: { name: RateLimitName; msLeft: number } | undefined;
      const budgets: RateLimitBudgetStatus[] = [];
      // In REQUEST_BUDGETS order; a plain loop, as this runs for every request. An API key replaces the address.
      const keys = [apiKeyId ? undefined : clientIpKey(ip), apiKeyId && boundedKey(apiKeyId), tenantId && boundedKey(tenantId)];
      for (let i = 0; i < REQUEST_BUDGETS.length; i++) {
        const key = keys[i];
        if (!key) continue;
        const [name, configName] = REQUEST_BUDGETS[i]!;
        const rule = config[configName];
        const { total, msLeft } = counters.consume(`${name}:${key}`, points, rule.durationS * 1000);
        const budget = standing(name, rule, total, msLeft);
        budgets.push(budget);
        if (total > rule.points) {
          if (!exceeded || msLeft > exceeded.msLeft) exceeded = { name, msLeft };
        } else if (!tightest || budget.remaining < tightest.remaining) {
          tightest = budget;
        }
      }
      if (exceeded) throw rateLimited(exceeded.msLeft, exceeded.name);
      return { limit: tightest!.limit, remaining: tightest!.remaining, resetAfterS: tightest!.resetAfterS, budgets };
    },

    consumeBudgets(budgets, points = 1) {
      let exceeded: { budget: NamedBudget; msLeft: number } | undefined;
      for (const budget of budgets) {
        validateRule(budget.limit, budget.rule);
        const windowMs = budget.rule.durationS * 1000;
        const { total, msLeft } = counters.consume(`${budget.limit}:${budget.rule.durationS}:${boundedKey(budget.key)}`, points, windowMs);
        if (total > budget.rule.points && (!exceeded || msLeft > exceeded.msLeft)) exceeded = { budget, msLeft };
      }
      if (exceeded) throw rateLimited(exceeded.msLeft, exceeded.budget.limit, { windowS: exceeded.budget.rule.durationS });
    },

    requestStatus(request) {
      const budgets = budgetsOf(request).map(([name, configName, key]) => {
        const rule = config[configName];
        const seen = counters.peek(`${name}:${key}`) ?? { total: 0, msLeft: rule.durationS * 1000 };
        return standing(name, rule, seen.total, seen.msLeft);
      });
      const tightest = budgets.reduce((a, b) => (b.remaining < a.remaining ? b : a));
      return { limit: tightest.limit, remaining: tightest.remaining, resetAfterS: tightest.resetAfterS, budgets };
    },

    async loginAttempt({ email, ip }) {
      // Hashed: the table should not collect e-mail addresses, and an address may exceed the key column.
      const accountKey = digest(email.trim().toLowerCase());
      const ipKey = clientIpKey(ip);
      // Counted before the password is checked, so parallel guesses cannot all slip through one check.
      admittedOrThrow(['loginAccount', 'loginIp'], await Promise.allSettled([
        loginPerAccount.consume(accountKey, 1),
        loginPerIp.consume(ipKey, 1),
      ]));
      let settled = false;
      return {
        async recordFailure() {
          settled = true;
        },
        async recordSuccess() {
          if (settled) return;
          settled = true;
          await Promise.all([loginPerAccount.delete(accountKey), loginPerIp.reward(ipKey, 1)]);
        },
      };
    },

    async close() {
      if (cleanup) clearInterval(cleanup);
      await counters.close();
    },
  };
}

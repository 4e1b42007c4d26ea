import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode } from '@mascot/contracts';
import { inTenant, type DeferredCounters } from '../../core/db/index.ts';
import { DomainError } from '../../core/errors/index.ts';
import { clientIpKey, type NamedBudget, type RateLimits } from '../../core/rate-limit/index.ts';
import { PLANS, type MessageRate, type PlanId, type PlanLimits, type VisitorMessageBudgets } from './plans.ts';
import { Tenant } from './tenant.entity.ts';

type Metric = 'bots' | 'messagesPerMonth' | 'knowledgeBytes' | 'aiSpendMicroUsdPerMonth';

export interface UsageView {
  plan: PlanId;
  period: string;
  resetsAt: Date;
  bots: { used: number; limit: number | null };
  messages: { used: number; limit: number | null };
  knowledgeBytes: { used: number; limit: number | null };
  aiSpendMicroUsd: { used: number; limit: number | null };
}

/**
 * Bots count against the plan until deleted: a deleted bot waiting for its purge (deleteBot) frees its
 * place, and its knowledge its storage, at once.
 */
const LIVE_BOT_COUNT = 'select count(*)::int as n from bot where tenant_id = ? and deleted_at is null';

/** Monthly counters are keyed by the UTC calendar month. */
export function billingPeriod(now = new Date()): { period: string; resetsAt: Date } {
  const period = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  return { period, resetsAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)) };
}

function exceeded(metric: Metric, limit: number, monthly: boolean): DomainError {
  const { resetsAt } = billingPeriod();
  const retryAfter = monthly ? Math.max(1, Math.ceil((resetsAt.getTime() - Date.now()) / 1000)) : null;
  return new DomainError(ErrorCode.QUOTA_EXCEEDED, `The plan's limit for ${metric} (${limit}) has been reached.`, {
    metric,
    limit,
    retryAfter,
    ...(monthly ? { resetsAt: resetsAt.toISOString() } : {}),
  });
}

/** Who sent a visitor message, for the plan's visitor budgets. */
export interface MessageSender {
  botId: string;
  conversationId: string;
  /** The widget's sticky visitor id, when it sent one. */
  visitorId: string | null;
  /** The client address (rate-limit rules: IPv6 per /64). */
  clientIp: string | undefined;
}

const WINDOWS: readonly [keyof MessageRate, number][] = [['perMinute', 60], ['perDay', 24 * 60 * 60]];

/** The budgets of `budgets` that apply to `sender` (a null rate is no budget). */
function visitorBudgetsOf(tenantId: string, sender: MessageSender, budgets: VisitorMessageBudgets): NamedBudget[] {
  const address = sender.clientIp ? clientIpKey(sender.clientIp) : undefined;
  const keyed: [NamedBudget['limit'], string | undefined, MessageRate][] = [
    ['visitor', sender.visitorId ? `${tenantId}:${sender.visitorId}` : undefined, budgets.perVisitor],
    ['visitorAddress', address ? `${tenantId}:${address}` : undefined, budgets.perAddress],
    ['conversation', sender.conversationId, budgets.perConversation],
    ['embed', sender.botId, budgets.perEmbed],
  ];
  const applying: NamedBudget[] = [];
  for (const [limit, key, rate] of keyed) {
    if (!key) continue;
    for (const [window, durationS] of WINDOWS) {
      const points = rate[window];
      if (points !== null) applying.push({ limit, key, rule: { points, durationS } });
    }
  }
  return applying;
}

/**
 * Plan limits, enforced inside the caller's tenant transaction. Counted limits lock the tenant row
 * and monthly counters use one conditional upsert, so concurrent requests can never overshoot.
 */
export class UsageService {
  /**
   * The monthly AI spend is added through `counters` (written once a second, not under a row lock per reply).
   * Visitor budgets are counted by `budgets` (in memory, shared between instances); without it they are not enforced.
   */
  constructor(
    private readonly counters: DeferredCounters,
    private readonly budgets?: Pick<RateLimits, 'consumeBudgets'>,
  ) {}

  async limitsOf(tx: EntityManager, tenantId: string, lock = false): Promise<PlanLimits> {
    const tenant = await tx.findOneOrFail(Tenant, { id: tenantId }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
    return PLANS[tenant.plan as PlanId];
  }

  async assertCanCreateBot(tx: EntityManager, tenantId: string): Promise<void> {
    const { bots } = await this.limitsOf(tx, tenantId, true);
    if (bots === null) return;
    const [row] = await tx.execute<{ n: number }[]>(LIVE_BOT_COUNT, [tenantId]);
    if (row!.n >= bots) throw exceeded('bots', bots, false);
  }

  async assertKnowledgeFits(tx: EntityManager, tenantId: string, addedBytes: number): Promise<void> {
    const { knowledgeBytes } = await this.limitsOf(tx, tenantId, true);
    if (knowledgeBytes === null) return;
    const used = await this.knowledgeBytesUsed(tx, tenantId);
    if (used + addedBytes > knowledgeBytes) throw exceeded('knowledgeBytes', knowledgeBytes, false);
  }

  /**
   * Counts one visitor message against the month and, when the bot is to answer it (`needsAiBudget`),
   * checks the month's AI budget — one statement for both: the conditional upsert returns the stored
   * spend. A refusal (QUOTA_EXCEEDED with retryAfter; the AI budget reported first, as before) is thrown
   * inside the caller's transaction, which rolls the count back with everything else: a refused message
   * leaves nothing behind and the provider is never called for it. On the path of every visitor message:
   * this was three statements (plan, spend, count).
   *
   * With `sender`, the plan's visitor budgets (per visitor, address, conversation and embed; per minute and
   * per day) are taken first, in memory: a refusal (RATE_LIMITED with retryAfter) comes before the message
   * counts against the month, so one visitor cannot use the month up for everyone.
   */
  async admitMessage(
    tx: EntityManager,
    tenantId: string,
    { needsAiBudget, sender }: { needsAiBudget: boolean; sender?: MessageSender },
  ): Promise<void> {
    const { messagesPerMonth, aiSpendMicroUsdPerMonth: budget, visitorMessages } = await this.limitsOf(tx, tenantId);
    if (sender && this.budgets) this.budgets.consumeBudgets(visitorBudgetsOf(tenantId, sender, visitorMessages));
    const { period } = billingPeriod();
    const rows = await tx.execute<{ ai: string }[]>(
      `insert into tenant_usage (tenant_id, period, messages) values (?, ?, 1)
       on conflict (tenant_id, period) do update set messages = tenant_usage.messages + 1
       ${messagesPerMonth === null ? '' : 'where tenant_usage.messages < ?'}
       returning ai_cost_micro_usd as ai`,
      messagesPerMonth === null ? [tenantId, period] : [tenantId, period, messagesPerMonth],
    );
    const checkBudget = needsAiBudget && budget !== null;
    if (rows.length === 0) {
      // The month's messages are used up; the AI budget still speaks first when it is exhausted too.
      if (checkBudget && (await this.aiSpent(tx, tenantId)) >= budget) throw exceeded('aiSpendMicroUsdPerMonth', budget, true);
      throw exceeded('messagesPerMonth', messagesPerMonth!, true);
    }
    if (checkBudget && Number(rows[0]!.ai) + this.unwrittenAiSpend(tenantId, period) >= budget) {
      throw exceeded('aiSpendMicroUsdPerMonth', budget, true);
    }
  }

  /** Checked before any provider is called: an exhausted budget means the provider is never reached. */
  async assertAiBudget(tx: EntityManager, tenantId: string): Promise<void> {
    const { aiSpendMicroUsdPerMonth: budget } = await this.limitsOf(tx, tenantId);
    if (budget === null) return;
    const spent = await this.aiSpent(tx, tenantId);
    if (spent >= budget) throw exceeded('aiSpendMicroUsdPerMonth', budget, true);
  }

  /** Adds to the month's AI spend when `tx` commits; the budget check counts it at once in this process. */
  recordAiCost(tx: EntityManager, tenantId: string, microUsd: number): void {
    if (microUsd <= 0) return;
    this.counters.add(tx, { table: 'tenant_usage', key: { tenant_id: tenantId, period: billingPeriod().period }, add: { ai_cost_micro_usd: microUsd } });
  }

  async usage(em: EntityManager, tenantId: string): Promise<UsageView> {
    await this.counters.flush();
    return inTenant(em, tenantId, async (tx) => {
      const tenant = await tx.findOneOrFail(Tenant, { id: tenantId });
      const limits = PLANS[tenant.plan as PlanId];
      const { period, resetsAt } = billingPeriod();
      const [counters] = await tx.execute<{ messages: number; ai: string }[]>(
        'select messages, ai_cost_micro_usd as ai from tenant_usage where tenant_id = ? and period = ?',
        [tenantId, period],
      );
      const [bots] = await tx.execute<{ n: number }[]>(LIVE_BOT_COUNT, [tenantId]);
      return {
        plan: tenant.plan as PlanId,
        period,
        resetsAt,
        bots: { used: bots!.n, limit: limits.bots },
        messages: { used: counters?.messages ?? 0, limit: limits.messagesPerMonth },
        knowledgeBytes: { used: await this.knowledgeBytesUsed(tx, tenantId), limit: limits.knowledgeBytes },
        aiSpendMicroUsd: { used: Number(counters?.ai ?? 0), limit: limits.aiSpendMicroUsdPerMonth },
      };
    });
  }

  private async knowledgeBytesUsed(tx: EntityManager, tenantId: string): Promise<number> {
    const [row] = await tx.execute<{ n: string }[]>(
      `select coalesce(sum(d.size_bytes), 0) as n from knowledge_document d join bot b on b.id = d.bot_id
       where d.tenant_id = ? and b.deleted_at is null`,
      [tenantId],
    );
    return Number(row!.n);
  }

  /**
   * The stored spend plus what this process has counted and not written yet; another instance's
   * unwritten second is the most the budget can be overshot by.
   */
  private async aiSpent(tx: EntityManager, tenantId: string): Promise<number> {
    const { period } = billingPeriod();
    const [row] = await tx.execute<{ ai: string }[]>(
      'select ai_cost_micro_usd as ai from tenant_usage where tenant_id = ? and period = ?',
      [tenantId, period],
    );
    return Number(row?.ai ?? 0) + this.unwrittenAiSpend(tenantId, period);
  }

  private unwrittenAiSpend(tenantId: string, period: string): number {
    return this.counters.unwritten('tenant_usage', { tenant_id: tenantId, period }, 'ai_cost_micro_usd');
  }
}

import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode } from '@mascot/contracts';
import { inTenant } from '../../core/db/index.ts';
import { DomainError } from '../../core/errors/index.ts';
import { PLANS, type PlanId, type PlanLimits } from './plans.ts';
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

/**
 * Plan limits, enforced inside the caller's tenant transaction. Counted limits lock the tenant row
 * and monthly counters use one conditional upsert, so concurrent requests can never overshoot.
 */
export class UsageService {
  async limitsOf(tx: EntityManager, tenantId: string, lock = false): Promise<PlanLimits> {
    const tenant = await tx.findOneOrFail(Tenant, { id: tenantId }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
    return PLANS[tenant.plan as PlanId];
  }

  async assertCanCreateBot(tx: EntityManager, tenantId: string): Promise<void> {
    const { bots } = await this.limitsOf(tx, tenantId, true);
    if (bots === null) return;
    const [row] = await tx.execute<{ n: number }[]>('select count(*)::int as n from bot where tenant_id = ?', [tenantId]);
    if (row!.n >= bots) throw exceeded('bots', bots, false);
  }

  async assertKnowledgeFits(tx: EntityManager, tenantId: string, addedBytes: number): Promise<void> {
    const { knowledgeBytes } = await this.limitsOf(tx, tenantId, true);
    if (knowledgeBytes === null) return;
    const used = await this.knowledgeBytesUsed(tx, tenantId);
    if (used + addedBytes > knowledgeBytes) throw exceeded('knowledgeBytes', knowledgeBytes, false);
  }

  /** Counts one visitor message against the month; throws QUOTA_EXCEEDED (with retryAfter) when full. */
  async countMessage(tx: EntityManager, tenantId: string): Promise<void> {
    const { messagesPerMonth } = await this.limitsOf(tx, tenantId);
    const { period } = billingPeriod();
    const rows = await tx.execute<{ messages: number }[]>(
      `insert into tenant_usage (tenant_id, period, messages) values (?, ?, 1)
       on conflict (tenant_id, period) do update set messages = tenant_usage.messages + 1
       ${messagesPerMonth === null ? '' : 'where tenant_usage.messages < ?'}
       returning messages`,
      messagesPerMonth === null ? [tenantId, period] : [tenantId, period, messagesPerMonth],
    );
    if (rows.length === 0 && messagesPerMonth !== null) throw exceeded('messagesPerMonth', messagesPerMonth, true);
  }

  /** Checked before any provider is called: an exhausted budget means the provider is never reached. */
  async assertAiBudget(tx: EntityManager, tenantId: string): Promise<void> {
    const { aiSpendMicroUsdPerMonth: budget } = await this.limitsOf(tx, tenantId);
    if (budget === null) return;
    const spent = await this.aiSpent(tx, tenantId);
    if (spent >= budget) throw exceeded('aiSpendMicroUsdPerMonth', budget, true);
  }

  async recordAiCost(tx: EntityManager, tenantId: string, microUsd: number): Promise<void> {
    if (microUsd <= 0) return;
    await tx.execute(
      `insert into tenant_usage (tenant_id, period, ai_cost_micro_usd) values (?, ?, ?)
       on conflict (tenant_id, period) do update set ai_cost_micro_usd = tenant_usage.ai_cost_micro_usd + excluded.ai_cost_micro_usd`,
      [tenantId, billingPeriod().period, microUsd],
    );
  }

  async usage(em: EntityManager, tenantId: string): Promise<UsageView> {
    return inTenant(em, tenantId, async (tx) => {
      const tenant = await tx.findOneOrFail(Tenant, { id: tenantId });
      const limits = PLANS[tenant.plan as PlanId];
      const { period, resetsAt } = billingPeriod();
      const [counters] = await tx.execute<{ messages: number; ai: string }[]>(
        'select messages, ai_cost_micro_usd as ai from tenant_usage where tenant_id = ? and period = ?',
        [tenantId, period],
      );
      const [bots] = await tx.execute<{ n: number }[]>('select count(*)::int as n from bot where tenant_id = ?', [tenantId]);
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
      'select coalesce(sum(size_bytes), 0) as n from knowledge_document where tenant_id = ?',
      [tenantId],
    );
    return Number(row!.n);
  }

  private async aiSpent(tx: EntityManager, tenantId: string): Promise<number> {
    const [row] = await tx.execute<{ ai: string }[]>(
      'select ai_cost_micro_usd as ai from tenant_usage where tenant_id = ? and period = ?',
      [tenantId, billingPeriod().period],
    );
    return Number(row?.ai ?? 0);
  }
}

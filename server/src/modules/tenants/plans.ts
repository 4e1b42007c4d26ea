/**
 * What each plan allows. `null` means unlimited. Kept in code, versioned with it; the database
 * only records which plan a tenant is on.
 */
export const PLAN_IDS = ['free', 'pro', 'enterprise'] as const;
export type PlanId = (typeof PLAN_IDS)[number];

export interface PlanLimits {
  bots: number | null;
  messagesPerMonth: number | null;
  knowledgeBytes: number | null;
  /** Monthly AI provider spend, in millionths of a US dollar. */
  aiSpendMicroUsdPerMonth: number | null;
}

const MB = 1024 * 1024;

export const PLANS: Record<PlanId, PlanLimits> = {
  free: { bots: 3, messagesPerMonth: 1_000, knowledgeBytes: 5 * MB, aiSpendMicroUsdPerMonth: 5_000_000 },
  pro: { bots: 25, messagesPerMonth: 50_000, knowledgeBytes: 500 * MB, aiSpendMicroUsdPerMonth: 200_000_000 },
  enterprise: { bots: null, messagesPerMonth: null, knowledgeBytes: null, aiSpendMicroUsdPerMonth: null },
};

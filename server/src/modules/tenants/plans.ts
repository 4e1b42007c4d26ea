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
  /** How many messages the widget's visitors may send, so that no one visitor can use up the month (issue 15). */
  visitorMessages: VisitorMessageBudgets;
}

/** Messages per minute and per day (windows of 60 s and 24 h opened by the first message); `null`: no limit. */
export interface MessageRate {
  perMinute: number | null;
  perDay: number | null;
}

/**
 * Visitor budgets, checked before a message counts against the month and before any provider is called
 * (UsageService.admitMessage). All that apply must admit a message.
 */
export interface VisitorMessageBudgets {
  /** One visitor (the widget's sticky visitor id) across the tenant's bots. */
  perVisitor: MessageRate;
  /** One client address (IPv6 per /64) across the tenant's bots: a visitor may mint visitor ids; offices share an address. */
  perAddress: MessageRate;
  /** One conversation. */
  perConversation: MessageRate;
  /** One embed (bot), all its visitors together: the backstop against many addresses. */
  perEmbed: MessageRate;
}

const MB = 1024 * 1024;

export const PLANS: Record<PlanId, PlanLimits> = {
  free: {
    bots: 3, messagesPerMonth: 1_000, knowledgeBytes: 5 * MB, aiSpendMicroUsdPerMonth: 5_000_000,
    visitorMessages: {
      perVisitor: { perMinute: 10, perDay: 60 },
      perAddress: { perMinute: 20, perDay: 150 },
      perConversation: { perMinute: 8, perDay: 50 },
      perEmbed: { perMinute: 60, perDay: 300 },
    },
  },
  pro: {
    bots: 25, messagesPerMonth: 50_000, knowledgeBytes: 500 * MB, aiSpendMicroUsdPerMonth: 200_000_000,
    visitorMessages: {
      perVisitor: { perMinute: 15, perDay: 200 },
      perAddress: { perMinute: 60, perDay: 1_000 },
      perConversation: { perMinute: 12, perDay: 150 },
      perEmbed: { perMinute: 600, perDay: 10_000 },
    },
  },
  enterprise: {
    bots: null, messagesPerMonth: null, knowledgeBytes: null, aiSpendMicroUsdPerMonth: null,
    visitorMessages: {
      perVisitor: { perMinute: 20, perDay: 500 },
      perAddress: { perMinute: 120, perDay: 5_000 },
      perConversation: { perMinute: 15, perDay: 300 },
      perEmbed: { perMinute: null, perDay: null },
    },
  },
};

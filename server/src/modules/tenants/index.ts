export { Tenant } from './tenant.entity.ts';
export { PLANS, PLAN_IDS, type MessageRate, type PlanId, type PlanLimits, type VisitorMessageBudgets } from './plans.ts';
export { TenantsResolver } from './tenants.resolver.ts';
export { UsageService, billingPeriod, type MessageSender, type UsageView } from './usage.service.ts';
